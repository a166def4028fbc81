namespace RecOperator.Operator.Autoscaling;

/// <summary>Mutable working state of one <see cref="PlacementSolver"/> run; never escapes the solver.</summary>
internal sealed class SolverState
{
    private readonly SolverPair[] _pairs;
    private readonly int[] _count;
    private readonly int[] _variantUsed;
    private readonly int[] _poolUsed;
    private readonly VariantCandidate[] _variants;
    private readonly PoolCandidate[] _pools;
    private readonly double _required;
    private readonly int _minTotal;
    private double _capacity;

    public SolverState(PlacementProblem problem)
    {
        _variants = [.. problem.Variants];
        _pools = [.. problem.Pools];
        _required = problem.RequiredQps;
        _minTotal = problem.MinTotalReplicas;
        _pairs = SolverPair.Build(_variants, _pools);
        _count = new int[_pairs.Length];
        _variantUsed = new int[_variants.Length];
        _poolUsed = new int[_pools.Length];
    }

    private double Remaining => _required - _capacity;

    private int Total => _variantUsed.Sum();

    public void PlaceVariantMinimums()
    {
        // Minimums are mandatory, so they go where a replica is cheapest, not where QPS is cheapest.
        foreach (var i in Order(byReplicaCost: true))
        {
            var pair = _pairs[i];
            var missing = _variants[pair.Variant].MinReplicas - _variantUsed[pair.Variant];
            Add(i, Math.Max(0, Math.Min(missing, Room(i))));
        }
    }

    public void FillWithBestRounding()
    {
        var (cost, plan) = BestFill(0);
        if (double.IsFinite(cost))
        {
            foreach (var (pair, count) in plan)
            {
                Add(pair, count);
            }
        }
    }

    public void TopUpRemainder()
    {
        while (Remaining > 0)
        {
            var best = CheapestCover(Remaining, exclude: -1);
            if (best.Pair >= 0)
            {
                Add(best.Pair, best.Count);
                return;
            }

            // Nothing covers the rest alone: take everything left on the cheapest pair per QPS and go on.
            var next = Order(byReplicaCost: false).FirstOrDefault(i => Room(i) > 0, -1);
            if (next < 0)
            {
                return;
            }

            Add(next, Room(next));
        }
    }

    public void EnsureMinimumTotal()
    {
        foreach (var i in Order(byReplicaCost: true))
        {
            Add(i, Math.Max(0, Math.Min(Room(i), _minTotal - Total)));
        }
    }

    public void ImproveBySwaps()
    {
        // Bounded: every accepted swap strictly lowers cost, and the bound keeps the worst case linear in pairs.
        for (var round = 0; round < 2 * _pairs.Length + 4; round++)
        {
            if (!TryOneSwap())
            {
                return;
            }
        }
    }

    public void Prune()
    {
        foreach (var i in Order(byReplicaCost: true).Reverse())
        {
            while (_count[i] > 0 && CanRemove(i) && _capacity - _pairs[i].Qps >= _required - 1e-9)
            {
                Add(i, -1);
            }
        }
    }

    public Placement ToPlacement()
    {
        var replicas = new Dictionary<PlacementKey, int>();
        var cost = 0.0;
        for (var i = 0; i < _pairs.Length; i++)
        {
            if (_count[i] > 0)
            {
                replicas[new PlacementKey(_variants[_pairs[i].Variant].Name, _pools[_pairs[i].Pool].Name)] = _count[i];
                cost += _count[i] * _pairs[i].Cost;
            }
        }

        return new Placement { Replicas = replicas, CostPerHour = cost, CapacityQps = _capacity, ShortfallQps = Math.Max(0, Remaining) };
    }

    private bool TryOneSwap()
    {
        // Remove one replica of the dearest pair that has any, and cover the resulting deficit more cheaply elsewhere.
        foreach (var i in Order(byReplicaCost: true).Reverse())
        {
            if (_count[i] == 0 || !CanRemove(i))
            {
                continue;
            }

            Add(i, -1);
            var deficit = Remaining;
            var cover = deficit > 0 ? CheapestCover(deficit, exclude: i) : (Pair: -1, Count: 0, Cost: 0.0);
            if (deficit <= 0 || (cover.Pair >= 0 && cover.Cost < _pairs[i].Cost - 1e-12))
            {
                if (cover.Pair >= 0)
                {
                    Add(cover.Pair, cover.Count);
                }

                return true;
            }

            Add(i, 1);
        }

        return false;
    }

    /// <summary>
    /// Walks the pairs by cost per QPS: at each one either round up here (which covers the rest) or take only full
    /// replicas and let cheaper-per-replica pairs further down cover the remainder; the cheaper branch wins.
    /// Linear in pairs because the round-up branch ends the walk.
    /// </summary>
    private (double Cost, List<(int Pair, int Count)> Plan) BestFill(int i)
    {
        if (Remaining <= 1e-9)
        {
            return (0, []);
        }

        if (i == _pairs.Length)
        {
            return (double.PositiveInfinity, []);
        }

        var room = Room(i);
        var need = (int)Math.Ceiling((Remaining - 1e-9) / _pairs[i].Qps);
        (double Cost, List<(int Pair, int Count)> Plan) best = need <= room ? (need * _pairs[i].Cost, [(i, need)]) : (double.PositiveInfinity, []);
        var full = Math.Min(room, need - 1);
        Add(i, full);
        var rest = BestFill(i + 1);
        Add(i, -full);
        if ((full * _pairs[i].Cost) + rest.Cost < best.Cost)
        {
            rest.Plan.Insert(0, (i, full));
            best = ((full * _pairs[i].Cost) + rest.Cost, rest.Plan);
        }

        return best;
    }

    private (int Pair, int Count, double Cost) CheapestCover(double deficit, int exclude)
    {
        (int Pair, int Count, double Cost) best = (-1, 0, double.MaxValue);
        for (var i = 0; i < _pairs.Length; i++)
        {
            var needed = (int)Math.Ceiling((deficit - 1e-9) / _pairs[i].Qps);
            if (i == exclude || needed > Room(i))
            {
                continue;
            }

            var cost = needed * _pairs[i].Cost;
            if (cost < best.Cost)
            {
                best = (i, needed, cost);
            }
        }

        return best;
    }

    private bool CanRemove(int i) =>
        _variantUsed[_pairs[i].Variant] > _variants[_pairs[i].Variant].MinReplicas && Total > _minTotal;

    private int Room(int i)
    {
        var pair = _pairs[i];
        var variantRoom = _variants[pair.Variant].MaxReplicas - _variantUsed[pair.Variant];
        var poolRoom = (_pools[pair.Pool].Slots ?? int.MaxValue) - _poolUsed[pair.Pool];
        return Math.Max(0, Math.Min(variantRoom, poolRoom));
    }

    private void Add(int i, int n)
    {
        if (n == 0)
        {
            return;
        }

        _count[i] += n;
        _variantUsed[_pairs[i].Variant] += n;
        _poolUsed[_pairs[i].Pool] += n;
        _capacity += n * _pairs[i].Qps;
    }

    private IEnumerable<int> Order(bool byReplicaCost) =>
        byReplicaCost ? SolverPair.ByReplicaCost(_pairs) : Enumerable.Range(0, _pairs.Length);
}
