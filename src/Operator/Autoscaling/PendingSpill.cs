namespace RecOperator.Operator.Autoscaling;

/// <summary>Turns pods stuck in Pending into full pools, so the solver spills their replicas elsewhere.</summary>
internal static class PendingSpill
{
    public static IReadOnlyList<PoolCandidate> LimitPools(ScalingInput input, IReadOnlyDictionary<PlacementKey, int> previous, List<string> reasons)
    {
        var pendingPools = input.Actual.Where(a => a.Value.Pending > 0).Select(a => a.Key.Pool).ToHashSet(StringComparer.Ordinal);
        if (pendingPools.Count == 0)
        {
            return input.Pools;
        }

        return [.. input.Pools.Select(pool =>
        {
            if (!pendingPools.Contains(pool.Name))
            {
                return pool;
            }

            // What actually got scheduled is what the pool can hold right now.
            var scheduled = previous.Where(p => p.Key.Pool == pool.Name)
                .Sum(p => Math.Max(0, p.Value - (input.Actual.TryGetValue(p.Key, out var c) ? c.Pending : 0)));
            var slots = Math.Min(pool.Slots ?? int.MaxValue, scheduled);
            reasons.Add($"PoolFull: pods pending in pool {pool.Name}; spilling over beyond its {slots} scheduled replicas");
            return pool with { Slots = slots };
        })];
    }
}
