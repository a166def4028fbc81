namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Chooses replicas per (variant, pool) at least cost such that capacity covers demand x (1 + headroom), within pool
/// slots, each variant's min/max and a minimum total for availability. Pure and deterministic.
/// </summary>
/// <remarks>
/// Method, in order of what matters most: every variant's minimum, then as much of the requirement as the slots can
/// carry, then cost. Replicas are placed by <see cref="ReplicaFlow"/>, which keeps them at the least cost for each
/// variant's count and moves replicas of a variant that may run elsewhere out of a pool that another variant needs,
/// so a minimum or the demand goes short only when no placement at all meets it. First the minimums; then the most
/// capacity any placement above them reaches (a greedy that is exact here), which caps what is asked of the rest and
/// is the fallback answer; then <see cref="PlacementSearch"/> for the cheapest counts that cover the requirement and
/// the minimum total. When a pool is full the cheapest route simply ends in the next-cheapest pool with room, which
/// is the spill-over to the next-cheapest feasible variant or pool.
/// </remarks>
public static class PlacementSolver
{
    public static Placement Solve(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var graph = new SolverGraph(problem);
        var minimums = new ReplicaFlow(graph);
        minimums.PlaceMinimums();
        var most = minimums.Clone();
        most.FillByCapacity();
        // Ask for no more than the slots carry: the answer is then the cheapest way to the least shortfall.
        var target = Math.Min(graph.RequiredQps, most.Capacity);
        var minTotal = Math.Min(problem.MinTotalReplicas, most.Total);
        return PlacementSearch.Cheapest(minimums, most, target, minTotal, graph).ToPlacement();
    }
}
