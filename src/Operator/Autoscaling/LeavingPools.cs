namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Make before break for a variant that leaves a pool (the pool left its nodePools, the NodePool was deleted, or its
/// hardware no longer fits): the replicas there stay while they still serve and the variant's replicas where it may
/// run are not all ready yet. Without this the move dropped the variant to whatever its new pools had ready, at once.
/// The decision itself never counts them (<see cref="ScalingPolicy.EligibleOnly"/>): they go as soon as the
/// replacement serves, and with nothing ready there they are gone already. A variant left with no pool it may use
/// keeps them for as long as that lasts. Pure.
/// </summary>
internal static class LeavingPools
{
    /// <param name="previous">What was placed, pools the variants left included.</param>
    /// <param name="next">The decision over the pools the variants may use.</param>
    /// <returns><paramref name="next"/> with the leaving replicas that must stay, and a reason for each variant that keeps some.</returns>
    public static IReadOnlyDictionary<PlacementKey, int> Keep(
        IReadOnlyDictionary<PlacementKey, int> previous,
        IReadOnlyDictionary<PlacementKey, int> next,
        IReadOnlyList<VariantCandidate> variants,
        IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual,
        List<string> reasons)
    {
        var leaving = previous
            .Where(p => p.Value > 0 && variants.Any(v => v.Name == p.Key.Variant && !v.Pools.Contains(p.Key.Pool, StringComparer.Ordinal)))
            .Where(p => actual.TryGetValue(p.Key, out var counts) && counts.Ready > 0)
            .ToList();
        if (leaving.Count == 0)
        {
            return next;
        }

        var kept = next.ToDictionary(n => n.Key, n => n.Value);
        foreach (var variant in leaving.GroupBy(l => l.Key.Variant, StringComparer.Ordinal))
        {
            // Nowhere left to move to (a hardware that fits none of its pools, pools deleted): nothing would replace
            // them, so a mistake in the spec must not take the variant down. They stay until it names a pool again.
            var stranded = variants.First(v => v.Name == variant.Key).Pools.Count == 0;
            var waitingFor = next.Where(n => n.Key.Variant == variant.Key && n.Value > 0 && ReadyIn(actual, n.Key) < n.Value)
                .OrderBy(n => n.Key.Pool, StringComparer.Ordinal)
                .Select(n => $"{n.Key} {ReadyIn(actual, n.Key)}/{n.Value}")
                .ToList();
            if (!stranded && waitingFor.Count == 0)
            {
                continue;
            }

            foreach (var (key, count) in variant)
            {
                kept[key] = count;
            }

            reasons.Add($"LeavingPool: {string.Join(", ", variant.Select(v => v.Key).OrderBy(k => k.Pool, StringComparer.Ordinal))} keeps its replicas"
                + (stranded ? ": the variant may run in no pool now, so nothing would replace them" : $" until {string.Join(", ", waitingFor)} are ready"));
        }

        return kept;
    }

    private static int ReadyIn(IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual, PlacementKey key) =>
        actual.TryGetValue(key, out var counts) ? counts.Ready : 0;
}
