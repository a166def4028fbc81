namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Keeps the previous placement while it is still good enough, so near-equal placements of different shapes do not flap.
/// A previous placement held off a pool that has just regained room is not kept, however close in cost: that is the move
/// back <c>PoolGrew</c> announces.
/// </summary>
internal static class Hysteresis
{
    /// <param name="reserveQps">Capacity wanted outside preemptible pools; a previous placement with less than the target
    /// keeps there is not good enough, however cheap (it is cheap because it bets on spot).</param>
    /// <param name="regainedPools">Pools whose full mark was lifted this sync because their capacity grew.</param>
    public static IReadOnlyDictionary<PlacementKey, int> Choose(
        IReadOnlyDictionary<PlacementKey, int> previous, Placement target, PlacementProblem problem, double band, double reserveQps,
        IReadOnlyCollection<string> regainedPools, List<string> reasons)
    {
        var reserveWanted = Math.Min(reserveQps, StableCapacity(target.Replicas, problem));
        if (previous.Count == 0 || !Fits(previous, problem) || StableCapacity(previous, problem) < reserveWanted - 1e-9
            || MovesInto(regainedPools, previous, target.Replicas))
        {
            return target.Replicas;
        }

        var capacity = ScalingPolicy.CapacityOf(previous, problem.Variants);
        var cost = previous.Sum(p => p.Value * (problem.Pools.FirstOrDefault(x => x.Name == p.Key.Pool)?.CostPerReplicaHour ?? 0));
        if (capacity >= problem.RequiredQps && cost <= target.CostPerHour * (1 + band) + 1e-9)
        {
            if (cost > target.CostPerHour + 1e-9)
            {
                reasons.Add($"Hysteresis: current placement is within {band:P0} of the cheapest; keeping it");
            }

            return previous;
        }

        return target.Replicas;
    }

    private static bool MovesInto(IReadOnlyCollection<string> regainedPools, IReadOnlyDictionary<PlacementKey, int> previous, IReadOnlyDictionary<PlacementKey, int> target) =>
        regainedPools.Count > 0 && target.Any(t => regainedPools.Contains(t.Key.Pool) && t.Value > previous.GetValueOrDefault(t.Key));

    /// <summary>
    /// The reserve to place: the wanted one, or what the previous placement keeps outside preemptible pools when that
    /// falls short of it by no more than <paramref name="tolerance"/>. The reserve follows the highest demand of the
    /// stabilization window, so on steady load one sync's noise (0.3% at 17k QPS) lifts it just above a placement that
    /// met it, and the reserve-first solve answers with another shape (3 GPUs instead of 2 and 9 on-demand CPUs) and a
    /// bridge of fast replicas while it starts: dozens of pods started and stopped for a few QPS.
    /// </summary>
    public static double Reserve(IReadOnlyDictionary<PlacementKey, int> previous, PlacementProblem problem, double reserveQps, double tolerance)
    {
        var kept = StableCapacity(previous, problem);
        return kept < reserveQps && kept >= reserveQps * (1 - tolerance) ? kept : reserveQps;
    }

    private static double StableCapacity(IReadOnlyDictionary<PlacementKey, int> replicas, PlacementProblem problem) =>
        ScalingPolicy.CapacityOf(
            replicas.Where(r => problem.Pools.FirstOrDefault(p => p.Name == r.Key.Pool) is { Preemptible: false }).ToDictionary(r => r.Key, r => r.Value),
            problem.Variants);

    /// <summary>Within every variant's bounds, every pool's slots and the minimum total, on known variants and pools.</summary>
    internal static bool Fits(IReadOnlyDictionary<PlacementKey, int> replicas, PlacementProblem problem)
    {
        var total = replicas.Values.Sum();
        var variantsOk = problem.Variants.All(v =>
        {
            var n = replicas.Where(r => r.Key.Variant == v.Name).Sum(r => r.Value);
            return n >= v.MinReplicas && n <= v.MaxReplicas;
        });
        var poolsOk = problem.Pools.All(p => p.Slots is null || replicas.Where(r => r.Key.Pool == p.Name).Sum(r => r.Value) <= p.Slots);
        var known = replicas.Keys.All(k => problem.Variants.Any(v => v.Name == k.Variant && v.Pools.Contains(k.Pool)) && problem.Pools.Any(p => p.Name == k.Pool));
        return total >= problem.MinTotalReplicas && variantsOk && poolsOk && known;
    }
}
