namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Chooses replicas per (variant, pool) at least cost such that capacity covers demand x (1 + headroom), within pool
/// slots, each variant's min/max and a minimum total for availability. Pure and deterministic.
/// </summary>
/// <remarks>
/// Method: the continuous relaxation is solved exactly by filling pairs in order of cost per QPS (pool cost / variant
/// capacity). Integer rounding is decided per pair: round up there, or take full replicas and cover the remainder
/// further down (a few small CPU replicas beat one large GPU replica for a small remainder, and vice versa).
/// When nothing covers the demand, everything eligible is used. A 1-swap local search and a pruning pass then remove
/// any rounding waste. When a pool is full the fill simply
/// continues with the next pair, which is the spill-over to the next-cheapest feasible variant or pool.
/// </remarks>
public static class PlacementSolver
{
    public static Placement Solve(PlacementProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var state = new SolverState(problem);
        state.PlaceVariantMinimums();
        state.FillWithBestRounding();
        state.TopUpRemainder();
        state.EnsureMinimumTotal();
        state.ImproveBySwaps();
        state.Prune();
        return state.ToPlacement();
    }
}
