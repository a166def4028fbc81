namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// One step from the current replicas towards a goal: additions at once (bounded unless in panic), removals only
/// after every added replica is ready (make before break), not while a hold stands (demand still rising), and a few per sync. Pending pods go at once: they serve nothing.
/// Make before break waits for the replicas added now and those still starting (<see cref="StartingReplicas"/>), not
/// for a pod that has been unready since long before: that one is stuck, and would hold every removal while it is.
/// </summary>
internal static class PlacementTransition
{
    public static IReadOnlyDictionary<PlacementKey, int> Step(
        IReadOnlyDictionary<PlacementKey, int> current,
        IReadOnlyDictionary<PlacementKey, int> goal,
        IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual,
        ScalingOptions options,
        bool panic,
        string? removalHold,
        IReadOnlyList<StartingPlacement> starting,
        List<string> reasons)
    {
        var next = current.ToDictionary(c => c.Key, c => c.Value);
        var total = current.Values.Sum();
        // The first placement and panics are not rate-limited: there is nothing to protect yet, or no time to lose.
        var budget = panic || total == 0 ? int.MaxValue : Math.Max(options.ScaleUpMinStep, (int)Math.Ceiling(total * (options.ScaleUpFactor - 1)));
        var added = 0;
        foreach (var (key, want) in goal.OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var have = next.GetValueOrDefault(key);
            var add = Math.Min(want - have, budget - added);
            if (add > 0)
            {
                next[key] = have + add;
                added += add;
            }
        }

        if (added < goal.Sum(g => Math.Max(0, g.Value - current.GetValueOrDefault(g.Key))))
        {
            reasons.Add($"RateLimited: added {added} replicas this sync; the rest follow");
        }

        var waitingFor = next.Where(n => n.Value > current.GetValueOrDefault(n.Key))
            .Select(n => new StartingPlacement(n.Key, actual.GetValueOrDefault(n.Key).Ready, n.Value))
            .Concat(starting.Where(s => next.GetValueOrDefault(s.Key) <= current.GetValueOrDefault(s.Key)))
            .OrderBy(s => s.Key.ToString(), StringComparer.Ordinal)
            .ToList();
        var waiting = waitingFor.Count > 0;
        var removalBudget = Math.Max(options.MaxRemovalsPerSync, (int)(total * options.MaxRemovalShare));
        var removed = 0;
        foreach (var key in next.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList())
        {
            var want = goal.GetValueOrDefault(key);
            var excess = next[key] - want;
            if (excess <= 0)
            {
                continue;
            }

            // Pending pods serve nothing, so dropping them never breaks anything.
            var pending = Math.Min(excess, actual.TryGetValue(key, out var a) ? a.Pending : 0);
            var drop = pending + (waiting || removalHold is not null ? 0 : Math.Min(excess - pending, removalBudget - removed));
            removed += drop - pending;
            next[key] -= drop;
        }

        if (waiting && next.Any(n => n.Value > goal.GetValueOrDefault(n.Key)))
        {
            reasons.Add($"MakeBeforeBreak: removals wait until new replicas are ready ({string.Join(", ", waitingFor)})");
        }
        else if (removalHold is not null && next.Any(n => n.Value > goal.GetValueOrDefault(n.Key)))
        {
            reasons.Add(removalHold);
        }

        return next.Where(n => n.Value > 0).ToDictionary(n => n.Key, n => n.Value);
    }
}
