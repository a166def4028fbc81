namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Branch and bound over how many replicas each variant gets (where they go is <see cref="ReplicaFlow"/>'s business,
/// always the cheapest for the counts). Each node takes the open variant whose next replica is cheapest per QPS and
/// branches: all its replicas at that price (it stays open, to compete again at its next price), or fewer, down to
/// none (its count is then settled). The first dive is the greedy fill by cost per QPS; the rest of the search fixes
/// its rounding and whatever the greedy order could not see. Exhaustive, so exactly optimal, on the small problems a
/// model has; a work budget stops it on large ones, which keep the best placement found by then.
/// </summary>
internal sealed class PlacementSearch
{
    /// <summary>QPS (and cost) within this of a bound count as meeting it: sums of doubles carry rounding.</summary>
    public const double Tolerance = 1e-9;

    // Pair-visits of route searches (see SolverGraph.Work): some 250 searches of a 100-pair problem, a fraction of a
    // millisecond. A model's few variants and pools finish far below it, so exactly. On 4,700 random problems of up to
    // 12 variants and 10 pools, 4 stopped short of what a search with 80 times the budget found, by at most 0.5%; on
    // the bench's 96-pair fleet the budgeted answer is the exhaustive optimum.
    private const long WorkBudget = 25_000;

    private readonly SolverGraph _graph;
    private readonly double _target;
    private readonly int _minTotal;
    private readonly bool[] _open;
    private ReplicaFlow _best;

    private PlacementSearch(SolverGraph graph, ReplicaFlow incumbent, double target, int minTotal)
    {
        _graph = graph;
        _best = incumbent;
        _target = target;
        _minTotal = minTotal;
        _open = [.. graph.Variants.Select(_ => true)];
    }

    /// <summary>
    /// The cheapest placement above <paramref name="start"/> with capacity >= <paramref name="target"/> and at least
    /// <paramref name="minTotal"/> replicas; fewer replicas break a tie in cost.
    /// </summary>
    /// <param name="incumbent">A placement above start that meets both (the most capacity there is): the answer when nothing beats it.</param>
    public static ReplicaFlow Cheapest(ReplicaFlow start, ReplicaFlow incumbent, double target, int minTotal, SolverGraph graph)
    {
        var search = new PlacementSearch(graph, incumbent, target, minTotal);
        graph.Work = 0;
        search.Visit(start);
        return search._best;
    }

    private bool Covers(ReplicaFlow flow) => flow.Capacity >= _target - Tolerance && flow.Total >= _minTotal;

    private bool Beats(ReplicaFlow flow) =>
        flow.Cost < _best.Cost - Tolerance || (flow.Cost <= _best.Cost + Tolerance && flow.Total < _best.Total);

    /// <summary>Nothing costing at least <paramref name="bound"/> with at least <paramref name="total"/> replicas beats the best.</summary>
    private bool Hopeless(double bound, int total) =>
        bound > _best.Cost + Tolerance || (bound >= _best.Cost - Tolerance && total >= _best.Total);

    private void Visit(ReplicaFlow flow)
    {
        if (Covers(flow))
        {
            // Costs are never negative, so nothing added below here makes it cheaper.
            if (Beats(flow))
            {
                _best = flow;
            }

            return;
        }

        if (_graph.Work > WorkBudget)
        {
            return;
        }

        var prices = flow.Prices();
        var grow = -1;
        var upper = flow.Capacity;
        for (var v = 0; v < prices.Length; v++)
        {
            if (_open[v])
            {
                upper += (_graph.Variants[v].MaxReplicas - flow.Replicas(v)) * _graph.Variants[v].QpsPerReplica;
                if (double.IsFinite(prices[v]) && (grow < 0 || PerQps(prices, v) < PerQps(prices, grow)))
                {
                    grow = v;
                }
            }
        }

        if (grow < 0 || upper < _target - Tolerance)
        {
            return;
        }

        // Lower bounds for what the other open variants add below this node: their prices here never fall as replicas
        // are added, so each QPS still missing costs at least the best price per QPS, each replica the best price.
        var (perQps, perReplica) = (double.PositiveInfinity, double.PositiveInfinity);
        for (var v = 0; v < prices.Length; v++)
        {
            if (_open[v] && v != grow && double.IsFinite(prices[v]))
            {
                perQps = Math.Min(perQps, PerQps(prices, v));
                perReplica = Math.Min(perReplica, prices[v]);
            }
        }

        var variant = _graph.Variants[grow];
        var price = prices[grow];
        var missingQps = _target - flow.Capacity;
        var missingReplicas = _minTotal - flow.Total;
        // The variant grown is the cheapest per QPS, but not always per replica.
        if (Hopeless(flow.Cost + Math.Max(Math.Max(0, missingQps) * PerQps(prices, grow), Math.Max(0, missingReplicas) * Math.Min(perReplica, price)), flow.Total))
        {
            return;
        }

        // Take the variant's replicas at this price, no more than cover the rest on their own (costs are not
        // negative), and leave it open: below, it competes again at its next price. Then fewer, with the variant
        // closed: its count is settled, and the others cover the rest (the rounding: a few small replicas can beat
        // one large one for a small remainder, and vice versa). Both branches together cover every count.
        var useful = Math.Max(missingQps > Tolerance ? (int)Math.Min(int.MaxValue, Math.Ceiling((missingQps - Tolerance) / variant.QpsPerReplica)) : 0, missingReplicas);
        var full = flow.Clone();
        var most = full.Add(grow, useful, price);
        Visit(full);
        _open[grow] = false;
        var others = upper - ((variant.MaxReplicas - flow.Replicas(grow)) * variant.QpsPerReplica);
        for (var n = most - 1; n >= 0; n--)
        {
            var missing = missingQps - (n * variant.QpsPerReplica);
            if (others + (n * variant.QpsPerReplica) < _target - Tolerance)
            {
                // Even every replica the other open variants may still have falls short: so does any smaller n.
                break;
            }

            if (_graph.Work > WorkBudget)
            {
                break;
            }

            var bound = flow.Cost + (n * price) + Math.Max(Math.Max(0, missing) * perQps, Math.Max(0, missingReplicas - n) * perReplica);
            if (!Hopeless(bound, flow.Total + n))
            {
                Visit(n == 0 ? flow : Grown(flow, grow, n));
            }
            else if (bound > _best.Cost + Tolerance && missing >= 0 && price <= (variant.QpsPerReplica * perQps) + Tolerance
                && (missingReplicas <= 0 || price <= perReplica + Tolerance))
            {
                // One replica fewer saves its price but leaves a whole replica's QPS (and one replica) to the others, at
                // no better price: the bound only rises from here.
                break;
            }
        }

        _open[grow] = true;
    }

    private double PerQps(double[] prices, int v) => prices[v] / _graph.Variants[v].QpsPerReplica;

    private static ReplicaFlow Grown(ReplicaFlow flow, int variant, int n)
    {
        var grown = flow.Clone();
        grown.Add(variant, n);
        return grown;
    }
}
