namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Turns pods stuck in Pending into full pools, so the solver spills their replicas elsewhere. The limit is
/// remembered for a back-off period: once the pending pods are gone nothing shows the pool is still full.
/// </summary>
internal static class PendingSpill
{
    public static IReadOnlyDictionary<string, PoolLimit> UpdateLimits(ScalingInput input, ScalingState previous, DateTimeOffset now, TimeSpan backoff, List<string> reasons)
    {
        var limits = previous.PoolLimits.Where(l => l.Value.Until > now).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        foreach (var pool in input.Actual.Where(a => a.Value.Pending > 0).Select(a => a.Key.Pool).Distinct(StringComparer.Ordinal))
        {
            // What actually got scheduled is what the pool can hold right now.
            var scheduled = previous.Replicas.Where(p => p.Key.Pool == pool)
                .Sum(p => Math.Max(0, p.Value - (input.Actual.TryGetValue(p.Key, out var c) ? c.Pending : 0)));
            limits[pool] = new PoolLimit(scheduled, now + backoff);
            reasons.Add($"PoolFull: pods pending in pool {pool}; spilling over beyond its {scheduled} scheduled replicas");
        }

        return limits;
    }

    public static IReadOnlyList<PoolCandidate> Apply(IReadOnlyList<PoolCandidate> pools, IReadOnlyDictionary<string, PoolLimit> limits) =>
        limits.Count == 0
            ? pools
            : [.. pools.Select(p => limits.TryGetValue(p.Name, out var l) ? p with { Slots = Math.Min(p.Slots ?? int.MaxValue, l.Slots) } : p)];
}
