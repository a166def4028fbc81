namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Placement that survives the loss of every preemptible (spot) pool at once: first the cheapest capacity outside
/// them that covers the reserve, then the cheapest placement of the rest anywhere. A spot pool is reclaimed in
/// seconds while replacements take 10 s (CPU) to 60 s (GPU) to start, so only capacity already running elsewhere
/// can hold the SLO through the loss; spot then carries the headroom, where it is cheapest. Pure.
/// </summary>
public static class ReservePlacement
{
    /// <param name="problem">The full problem (demand already includes headroom).</param>
    /// <param name="reserveQps">Capacity to keep outside preemptible pools; 0 or no preemptible pool = plain solve.</param>
    public static Placement Solve(PlacementProblem problem, double reserveQps)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var stablePools = problem.Pools.Where(p => !p.Preemptible).ToList();
        if (reserveQps <= 0 || stablePools.Count == problem.Pools.Count)
        {
            return PlacementSolver.Solve(problem);
        }

        var stableNames = stablePools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var reserve = PlacementSolver.Solve(new PlacementProblem
        {
            // Minimums are the second step's business: here only cost per reserved QPS matters.
            Variants = [.. problem.Variants.Select(v => v with { MinReplicas = 0, Pools = [.. v.Pools.Where(stableNames.Contains)] })],
            Pools = stablePools,
            DemandQps = Math.Min(reserveQps, problem.RequiredQps),
            MinTotalReplicas = 0,
        });

        var rest = PlacementSolver.Solve(new PlacementProblem
        {
            Variants = [.. problem.Variants.Select(v => v with
            {
                MinReplicas = Math.Max(0, v.MinReplicas - reserve.ForVariant(v.Name)),
                MaxReplicas = Math.Max(0, v.MaxReplicas - reserve.ForVariant(v.Name)),
            })],
            Pools = [.. problem.Pools.Select(p => p.Slots is { } slots ? p with { Slots = Math.Max(0, slots - reserve.Replicas.Where(r => r.Key.Pool == p.Name).Sum(r => r.Value)) } : p)],
            DemandQps = Math.Max(0, problem.RequiredQps - reserve.CapacityQps),
            MinTotalReplicas = Math.Max(0, problem.MinTotalReplicas - reserve.TotalReplicas),
        });

        var replicas = new Dictionary<PlacementKey, int>(reserve.Replicas);
        foreach (var (key, n) in rest.Replicas)
        {
            replicas[key] = replicas.GetValueOrDefault(key) + n;
        }

        return new Placement
        {
            Replicas = replicas,
            CostPerHour = reserve.CostPerHour + rest.CostPerHour,
            CapacityQps = reserve.CapacityQps + rest.CapacityQps,
            ShortfallQps = rest.ShortfallQps,
        };
    }
}
