namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// What one <see cref="PlacementSolver"/> run places replicas on: the variants, the pools, which may hold which, and
/// scratch for <see cref="ReplicaFlow"/>'s route search. Shared by every flow of the run and never by two runs.
/// </summary>
internal sealed class SolverGraph
{
    public SolverGraph(PlacementProblem problem)
    {
        Variants = [.. problem.Variants];
        Pools = [.. problem.Pools];
        Pairs = SolverPair.Build(Variants, Pools);
        PairsOfVariant = [.. Enumerable.Range(0, Variants.Length).Select(v => Enumerable.Range(0, Pairs.Length).Where(i => Pairs[i].Variant == v).ToArray())];
        PairsOfPool = [.. Enumerable.Range(0, Pools.Length).Select(p => Enumerable.Range(0, Pairs.Length).Where(i => Pairs[i].Pool == p).ToArray())];
        PoolsByCost = [.. Enumerable.Range(0, Pools.Length).OrderBy(p => Pools[p].CostPerReplicaHour).ThenBy(p => p)];
        // A demand that is not a number asks for nothing beyond the minimums rather than poisoning every comparison.
        RequiredQps = double.IsNaN(problem.RequiredQps) ? 0 : problem.RequiredQps;
        MinTotal = problem.MinTotalReplicas;
        Price = new double[Variants.Length];
        Via = new int[Variants.Length];
        Move = new int[Pools.Length];
        Queue = new int[Pools.Length];
    }

    public VariantCandidate[] Variants { get; }

    public PoolCandidate[] Pools { get; }

    /// <summary>Eligible (variant, pool) pairs; only these ever hold replicas.</summary>
    public SolverPair[] Pairs { get; }

    public int[][] PairsOfVariant { get; }

    public int[][] PairsOfPool { get; }

    /// <summary>Pool indices, cheapest first: the order in which routes look for a free slot.</summary>
    public int[] PoolsByCost { get; }

    public double RequiredQps { get; }

    public int MinTotal { get; }

    /// <summary>Pair-visits of every route search so far: the unit of <see cref="PlacementSearch"/>'s budget.</summary>
    public long Work { get; set; }

    // Route search scratch (see ReplicaFlow.Route): per variant the price of its next replica and the pair it enters
    // by; per pool the pair whose replica moves out to make room (-1: the pool has the free slot, -2: unreached).
    public double[] Price { get; }

    public int[] Via { get; }

    public int[] Move { get; }

    public int[] Queue { get; }
}
