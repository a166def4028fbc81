namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// While stabilization holds capacity above today's requirement, the placement for the held requirement is re-solved
/// every sync as the window's peak ages out, and its shape can change on the way down: with the spot reserve, 90 QPS
/// may want two on-demand replicas and no spot while 56 QPS wants one of each, so a fleet of two on-demand and one
/// spot lost its spot replica for 90 QPS and started it again five seconds later for 56. Here the replicas that both
/// run now and belong to the settled placement (the one for today's requirement, where the window will end) are kept:
/// the way down then only removes what the end does not need. Pure.
/// </summary>
internal static class SettledPath
{
    public static IReadOnlyDictionary<PlacementKey, int> Keep(
        IReadOnlyDictionary<PlacementKey, int> goal, IReadOnlyDictionary<PlacementKey, int> current, Placement settled, PlacementProblem problem,
        List<string> reasons)
    {
        var kept = goal.ToDictionary(g => g.Key, g => g.Value);
        var held = new List<string>();
        foreach (var (key, n) in settled.Replicas.OrderBy(s => s.Key.ToString(), StringComparer.Ordinal))
        {
            var keep = Math.Min(n, current.GetValueOrDefault(key));
            if (keep > kept.GetValueOrDefault(key))
            {
                held.Add($"{key} {keep}");
                kept[key] = keep;
            }
        }

        // Only replicas already running are kept, but beside a goal that moved elsewhere they could pass a variant's
        // maximum or a pool's slots: then the goal alone stands.
        if (held.Count == 0 || !Hysteresis.Fits(kept, problem))
        {
            return goal;
        }

        reasons.Add($"SettledPath: keeping {string.Join(", ", held)}, which the placement for current demand also runs");
        return kept;
    }
}
