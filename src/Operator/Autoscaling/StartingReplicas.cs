namespace RecOperator.Operator.Autoscaling;

/// <summary>A placement with replicas asked for that are not ready yet, and may still become so.</summary>
internal readonly record struct StartingPlacement(PlacementKey Key, int Ready, int Replicas)
{
    public override string ToString() => $"{Key} {Ready}/{Replicas} ready";
}

/// <summary>
/// Which placements have replicas starting: asked for within <see cref="ScalingOptions.StartTimeout"/> of the last time
/// the placement grew, and neither ready nor pending (unschedulable pods are spill-over's, and serve nothing either
/// way). Make before break, the SLO guard and the capacity model wait for these; an unready pod older than that is
/// stuck, and waiting for it would hold them for as long as it stays broken. Pure.
/// </summary>
internal static class StartingReplicas
{
    public static IReadOnlyList<StartingPlacement> Find(ScalingState state, IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual, DateTimeOffset now, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(actual);
        return [.. state.Replicas
            .Where(r => state.GrownAt.TryGetValue(r.Key, out var grown) && now - grown < timeout)
            .Select(r => (r.Key, r.Value, Counts: actual.GetValueOrDefault(r.Key)))
            .Where(r => r.Counts.Ready + r.Counts.Pending < r.Value)
            .OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)
            .Select(r => new StartingPlacement(r.Key, r.Counts.Ready, r.Value))];
    }

    /// <summary>
    /// <see cref="ScalingState.GrownAt"/> after a decision: now for each placement that grew, the earlier times of the
    /// others while they still count (within <paramref name="timeout"/>, placement still running).
    /// </summary>
    public static IReadOnlyDictionary<PlacementKey, DateTimeOffset> Grown(
        IReadOnlyDictionary<PlacementKey, DateTimeOffset> previous, IReadOnlyDictionary<PlacementKey, int> before, IReadOnlyDictionary<PlacementKey, int> after,
        DateTimeOffset now, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var grown = previous.Where(g => now - g.Value < timeout && after.GetValueOrDefault(g.Key) > 0).ToDictionary(g => g.Key, g => g.Value);
        foreach (var key in after.Where(a => a.Value > before.GetValueOrDefault(a.Key)).Select(a => a.Key))
        {
            grown[key] = now;
        }

        return grown;
    }
}
