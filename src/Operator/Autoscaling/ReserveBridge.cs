namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Covers the wait for a slow-starting reserve. The reserve outside spot pools may be GPUs that take a minute to
/// start, while the cheapest placement without a reserve (spot CPU) starts in seconds: while the goal's ready
/// replicas cannot carry the demand itself (headroom aside: it exists to absorb growth while replicas start), the goal
/// also asks for that fast placement, and the normal make-before-break removal retires it once the reserve is ready.
/// When the goal waits on one variant alone, that variant does not bridge for itself: elsewhere it starts no sooner.
/// </summary>
internal static class ReserveBridge
{
    public static IReadOnlyDictionary<PlacementKey, int> Apply(
        IReadOnlyDictionary<PlacementKey, int> goal, Placement plain, PlacementProblem problem, double demandQps,
        IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual, List<string> reasons)
    {
        var ready = goal.ToDictionary(g => g.Key, g => Math.Min(g.Value, actual.TryGetValue(g.Key, out var a) ? a.Ready : 0));
        if (ScalingPolicy.CapacityOf(ready, problem.Variants) >= demandQps)
        {
            return goal;
        }

        // When the goal waits only on replicas of one variant, a bridge of that same variant (the same image and
        // artifact, another pool) starts no sooner than what it would cover: it would only be added and retired again.
        // While another variant (a GPU reserve) starts too, it may well be faster than that one, so it bridges.
        var starting = goal.Where(g => g.Value > ready[g.Key]).Select(g => g.Key.Variant).Distinct(StringComparer.Ordinal).ToList();
        var onlyStarting = starting.Count == 1 ? starting[0] : null;
        var bridged = goal.ToDictionary(g => g.Key, g => g.Value);
        foreach (var (key, n) in plain.Replicas)
        {
            var extra = n - bridged.GetValueOrDefault(key);
            var pool = problem.Pools.FirstOrDefault(p => p.Name == key.Pool);
            var variant = problem.Variants.FirstOrDefault(v => v.Name == key.Variant);
            if (extra <= 0 || pool is null || variant is null || key.Variant == onlyStarting)
            {
                continue;
            }

            // Within the pool's slots and the variant's maximum, which the goal may already use up.
            var poolFree = (pool.Slots ?? int.MaxValue) - bridged.Where(b => b.Key.Pool == key.Pool).Sum(b => b.Value);
            var variantFree = variant.MaxReplicas - bridged.Where(b => b.Key.Variant == key.Variant).Sum(b => b.Value);
            var add = Math.Min(extra, Math.Min(poolFree, variantFree));
            if (add > 0)
            {
                bridged[key] = bridged.GetValueOrDefault(key) + add;
            }
        }

        if (bridged.Values.Sum() > goal.Values.Sum())
        {
            reasons.Add("ReserveBridge: fast-starting replicas cover demand until the reserve outside spot pools is ready");
        }

        return bridged;
    }
}
