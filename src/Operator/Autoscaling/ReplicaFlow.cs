namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Replicas per (variant, pool) in one <see cref="PlacementSolver"/> run, always placed at the least cost for the
/// number each variant has. Replicas are only ever added, each by the cheapest route to a free slot: straight into an
/// eligible pool, or into a full one while replicas of other variants move on to another pool they may use. A pool
/// with slots can be taken first by a variant that could run elsewhere, and a variant that can run nowhere else then
/// needs it moved out; placing pair by pair never does that. Cost depends only on how many replicas each pool holds,
/// so a route costs the price of the pool whose slot it ends in. Adding along cheapest routes is successive shortest
/// paths for a min-cost flow: the placement stays the cheapest for its counts, and the price of a variant's next
/// replica never falls as replicas are added, which is what makes <see cref="PlacementSearch"/>'s bounds valid.
/// </summary>
internal sealed class ReplicaFlow
{
    private readonly SolverGraph _graph;
    private readonly int[] _count;
    private readonly int[] _variantUsed;
    private readonly int[] _poolUsed;

    public ReplicaFlow(SolverGraph graph)
    {
        _graph = graph;
        _count = new int[graph.Pairs.Length];
        _variantUsed = new int[graph.Variants.Length];
        _poolUsed = new int[graph.Pools.Length];
    }

    private ReplicaFlow(ReplicaFlow other)
    {
        _graph = other._graph;
        _count = (int[])other._count.Clone();
        _variantUsed = (int[])other._variantUsed.Clone();
        _poolUsed = (int[])other._poolUsed.Clone();
        Capacity = other.Capacity;
        Cost = other.Cost;
        Total = other.Total;
    }

    public double Capacity { get; private set; }

    public double Cost { get; private set; }

    public int Total { get; private set; }

    public ReplicaFlow Clone() => new(this);

    public int Replicas(int variant) => _variantUsed[variant];

    /// <summary>
    /// Each variant's minimum, cheapest variant first. Any order gives the least cost once every minimum fits (each
    /// route keeps the placement cheapest for its counts); the order only decides whose minimum goes short when the
    /// pools cannot hold them all, and routes make sure that happens only then.
    /// </summary>
    public void PlaceMinimums()
    {
        while (true)
        {
            var prices = Prices();
            var next = -1;
            for (var v = 0; v < prices.Length; v++)
            {
                if (_variantUsed[v] < _graph.Variants[v].MinReplicas && double.IsFinite(prices[v]) && (next < 0 || prices[v] < prices[next]))
                {
                    next = v;
                }
            }

            if (next < 0 || Add(next, _graph.Variants[next].MinReplicas - _variantUsed[next]) == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Every replica that still fits, variant by variant in order of QPS per replica (largest first): the most capacity
    /// any placement above the current one reaches. Which variants can fill which slots is a polymatroid (the counts a
    /// flow to the pools can carry), over which this greedy order maximises any positive weight, here QPS.
    /// </summary>
    public void FillByCapacity()
    {
        foreach (var v in Enumerable.Range(0, _graph.Variants.Length).OrderByDescending(v => _graph.Variants[v].QpsPerReplica).ThenBy(v => v))
        {
            Add(v, int.MaxValue);
        }
    }

    /// <summary>
    /// The price of one more replica of each variant (the pool where its cheapest route ends), +Inf where the variant
    /// is at its max or no route reaches a free slot.
    /// </summary>
    public double[] Prices()
    {
        Route();
        var prices = (double[])_graph.Price.Clone();
        for (var v = 0; v < prices.Length; v++)
        {
            if (_variantUsed[v] >= _graph.Variants[v].MaxReplicas)
            {
                prices[v] = double.PositiveInfinity;
            }
        }

        return prices;
    }

    /// <summary>Adds up to <paramref name="n"/> replicas of variant <paramref name="v"/>, each by its cheapest route.</summary>
    /// <param name="maxPrice">Stop before a replica that would cost more than this.</param>
    /// <returns>How many were added: fewer than asked when the variant reaches its max or no slot is left to reach.</returns>
    public int Add(int v, int n, double maxPrice = double.PositiveInfinity)
    {
        var pairs = _graph.Pairs;
        var max = _graph.Variants[v].MaxReplicas;
        var added = 0;
        while (added < n && _variantUsed[v] < max)
        {
            Route();
            if (_graph.Via[v] < 0 || _graph.Price[v] > maxPrice)
            {
                break;
            }

            // Walk the route once for its narrowest step (a slot count or a replica count), then again to move that
            // many at once: the same route stays cheapest until one of its steps runs out.
            var batch = Math.Min(n - added, max - _variantUsed[v]);
            var pool = pairs[_graph.Via[v]].Pool;
            while (_graph.Move[pool] >= 0)
            {
                var moved = _graph.Move[pool];
                batch = Math.Min(batch, _count[moved]);
                pool = pairs[_graph.Via[pairs[moved].Variant]].Pool;
            }

            batch = Math.Min(batch, FreeSlots(pool));
            _count[_graph.Via[v]] += batch;
            pool = pairs[_graph.Via[v]].Pool;
            while (_graph.Move[pool] >= 0)
            {
                var moved = _graph.Move[pool];
                _count[moved] -= batch;
                _count[_graph.Via[pairs[moved].Variant]] += batch;
                pool = pairs[_graph.Via[pairs[moved].Variant]].Pool;
            }

            var price = _graph.Pools[pool].CostPerReplicaHour;
            _poolUsed[pool] += batch;
            _variantUsed[v] += batch;
            Capacity += batch * _graph.Variants[v].QpsPerReplica;
            Cost += batch * price;
            Total += batch;
            added += batch;
        }

        return added;
    }

    public Placement ToPlacement()
    {
        var replicas = new Dictionary<PlacementKey, int>();
        for (var i = 0; i < _count.Length; i++)
        {
            if (_count[i] > 0)
            {
                var pair = _graph.Pairs[i];
                replicas[new PlacementKey(_graph.Variants[pair.Variant].Name, _graph.Pools[pair.Pool].Name)] = _count[i];
            }
        }

        // Within rounding of the requirement counts as covering it, as everywhere in the solver.
        var shortfall = _graph.RequiredQps - Capacity;
        return new Placement { Replicas = replicas, CostPerHour = Cost, CapacityQps = Capacity, ShortfallQps = shortfall > PlacementSearch.Tolerance ? shortfall : 0 };
    }

    private int FreeSlots(int pool) => (_graph.Pools[pool].Slots ?? int.MaxValue) - _poolUsed[pool];

    /// <summary>
    /// Cheapest route for every variant at once: from each pool with a free slot, cheapest first, search backwards
    /// for the variants that can reach it (eligible for it, or for a pool whose replicas of some variant could move to
    /// it, and so on). A node is claimed by the first, so cheapest, pool that reaches it, by the fewest moves.
    /// </summary>
    private void Route()
    {
        var g = _graph;
        Array.Fill(g.Price, double.PositiveInfinity);
        Array.Fill(g.Via, -1);
        Array.Fill(g.Move, -2);
        g.Work += g.Pairs.Length;
        foreach (var free in g.PoolsByCost)
        {
            if (g.Move[free] != -2 || FreeSlots(free) <= 0)
            {
                continue;
            }

            g.Move[free] = -1;
            g.Queue[0] = free;
            for (int head = 0, tail = 1; head < tail; head++)
            {
                foreach (var entering in g.PairsOfPool[g.Queue[head]])
                {
                    var variant = g.Pairs[entering].Variant;
                    if (g.Via[variant] >= 0)
                    {
                        continue;
                    }

                    g.Via[variant] = entering;
                    g.Price[variant] = g.Pools[free].CostPerReplicaHour;
                    foreach (var held in g.PairsOfVariant[variant])
                    {
                        var pool = g.Pairs[held].Pool;
                        if (_count[held] > 0 && g.Move[pool] == -2)
                        {
                            g.Move[pool] = held;
                            g.Queue[tail++] = pool;
                        }
                    }
                }
            }
        }
    }
}
