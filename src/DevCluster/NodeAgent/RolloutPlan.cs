using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One step of the deployment controller over its ReplicaSets, as a pure function of the Deployment and their specs and
/// statuses, in kube-controller-manager's order: a paused Deployment or a changed replica count only scales
/// (proportionally while a rollout is under way); Recreate scales the old ReplicaSets to 0, waits for their pods to be
/// gone, then sizes the new one; RollingUpdate grows the new ReplicaSet within replicas + maxSurge, then shrinks the old
/// ones (their unavailable pods first) while replicas - maxUnavailable stay available. <see cref="CreateNew"/> is the
/// size of a new ReplicaSet to create (null: none); <see cref="Scale"/> the new sizes of existing ones, by name.
/// </summary>
public sealed record RolloutPlan(int? CreateNew, IReadOnlyDictionary<string, int> Scale)
{
    private static readonly RolloutPlan Nothing = new(null, new Dictionary<string, int>());

    public bool ScalingOnly { get; init; }

    public static RolloutPlan Compute(V1Deployment deployment, V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> old, bool oldPodsRunning)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        if (deployment.Spec?.Paused == true || IsScalingEvent(deployment, newRs, old))
        {
            return ScaleOnly(deployment, newRs, old) with { ScalingOnly = true };
        }
        if (deployment.Spec?.Strategy?.Type == "Recreate")
        {
            var activeOld = old.Where(rs => Size(rs) > 0).ToList();
            if (activeOld.Count > 0)
            {
                return new RolloutPlan(null, activeOld.ToDictionary(Name, _ => 0));
            }
            // Recreate promises old and new pods never run side by side.
            if (oldPodsRunning)
            {
                return Nothing;
            }
            return newRs is null ? new RolloutPlan(replicas, new Dictionary<string, int>()) : Resize(newRs, replicas);
        }
        if (newRs is null)
        {
            return new RolloutPlan(NewReplicas(deployment, old, null), new Dictionary<string, int>());
        }
        var grown = NewReplicas(deployment, old, newRs);
        if (grown != Size(newRs))
        {
            return Resize(newRs, grown);
        }
        return ScaleDownOld(deployment, newRs, old);
    }

    /// <summary>maxSurge rounds up and maxUnavailable down (defaults 25%); both 0 would stall, so maxUnavailable becomes 1.</summary>
    public static (int Surge, int Unavailable) Fenceposts(V1RollingUpdateDeployment? rolling, int replicas)
    {
        var surge = (rolling?.MaxSurge ?? "25%").GetScaledValue(replicas, roundUp: true);
        var unavailable = (rolling?.MaxUnavailable ?? "25%").GetScaledValue(replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, Math.Min(unavailable, replicas));
    }

    /// <summary>0 for Recreate, as the real controller's MaxSurge.</summary>
    public static int MaxSurge(V1Deployment deployment) =>
        deployment.Spec?.Strategy?.Type == "Recreate" ? 0 : Fenceposts(deployment.Spec?.Strategy?.RollingUpdate, deployment.Spec?.Replicas ?? 1).Surge;

    /// <summary>0 for Recreate or no replicas, as the real controller's MaxUnavailable.</summary>
    public static int MaxUnavailable(V1Deployment deployment)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        return deployment.Spec?.Strategy?.Type == "Recreate" || replicas == 0 ? 0 : Fenceposts(deployment.Spec?.Strategy?.RollingUpdate, replicas).Unavailable;
    }

    public static int Size(V1ReplicaSet rs) => rs.Spec?.Replicas ?? 1;

    /// <summary>Available pods as the ReplicaSet last reported them, never more than it is now sized for (a status that has not caught up with a scale-down).</summary>
    public static int Available(V1ReplicaSet rs) => Math.Min(rs.Status?.AvailableReplicas ?? 0, Size(rs));

    /// <summary>The new ReplicaSet's size in a rolling update: up to replicas, within replicas + maxSurge pods in all.</summary>
    public static int NewReplicas(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> old, V1ReplicaSet? newRs)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        var current = newRs is null ? 0 : Size(newRs);
        if (current >= replicas)
        {
            return replicas;
        }
        var total = old.Sum(Size) + current;
        var room = replicas + MaxSurge(deployment) - total;
        return room <= 0 ? current : current + Math.Min(room, replicas - current);
    }

    private static RolloutPlan ScaleDownOld(V1Deployment deployment, V1ReplicaSet newRs, IReadOnlyList<V1ReplicaSet> old)
    {
        var active = old.Where(rs => Size(rs) > 0).OrderBy(rs => rs.Metadata?.CreationTimestamp).ToList();
        if (active.Count == 0)
        {
            return Nothing;
        }
        var replicas = deployment.Spec?.Replicas ?? 1;
        var minAvailable = replicas - MaxUnavailable(deployment);
        var all = active.Sum(Size) + Size(newRs);
        var newUnavailable = Size(newRs) - Available(newRs);
        var maxScaledDown = all - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return Nothing;
        }
        var sizes = active.ToDictionary(Name, Size);
        // Pods that are not available serve nothing: they go first, within what may be scaled down at all.
        var cleaned = 0;
        foreach (var rs in active)
        {
            var unhealthy = Size(rs) - Available(rs);
            var down = Math.Min(maxScaledDown - cleaned, unhealthy);
            if (down > 0)
            {
                sizes[Name(rs)] -= down;
                cleaned += down;
            }
        }
        // Then available ones, oldest ReplicaSet first, while minAvailable stay.
        var available = active.Sum(Available) + Available(newRs);
        var more = Math.Min(maxScaledDown - cleaned, available - minAvailable);
        foreach (var rs in active)
        {
            var down = Math.Min(sizes[Name(rs)], Math.Max(0, more));
            sizes[Name(rs)] -= down;
            more -= down;
        }
        var changed = sizes.Where(s => s.Value != Size(active.First(rs => Name(rs) == s.Key))).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        return new RolloutPlan(null, changed);
    }

    /// <summary>The replica count changed since the ReplicaSets were last sized (their desired-replicas annotation says).</summary>
    private static bool IsScalingEvent(V1Deployment deployment, V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> old) =>
        old.Append(newRs).OfType<V1ReplicaSet>().Where(rs => Size(rs) > 0)
            .Any(rs => DeploymentRevisions.DesiredOf(rs) is { } desired && desired != (deployment.Spec?.Replicas ?? 1));

    /// <summary>The real controller's scale(): one active ReplicaSet takes all; a saturated new one ends the old; else proportional.</summary>
    private static RolloutPlan ScaleOnly(V1Deployment deployment, V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> old)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        var active = old.Append(newRs).OfType<V1ReplicaSet>().Where(rs => Size(rs) > 0).ToList();
        var all = old.Append(newRs).OfType<V1ReplicaSet>().ToList();
        var only = active.Count switch
        {
            0 => newRs ?? all.OrderByDescending(rs => rs.Metadata?.CreationTimestamp).FirstOrDefault(),
            1 => active[0],
            _ => null,
        };
        if (only is not null)
        {
            return Resize(only, replicas);
        }
        if (newRs is not null && Size(newRs) == replicas && DeploymentRevisions.DesiredOf(newRs) == replicas && (newRs.Status?.AvailableReplicas ?? 0) == replicas)
        {
            return new RolloutPlan(null, active.Where(rs => rs != newRs).ToDictionary(Name, _ => 0));
        }
        if (deployment.Spec?.Strategy?.Type == "Recreate" || active.Count == 0)
        {
            return Nothing;
        }
        return Proportional(deployment, active);
    }

    private static RolloutPlan Proportional(V1Deployment deployment, List<V1ReplicaSet> active)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        var allowed = replicas > 0 ? replicas + MaxSurge(deployment) : 0;
        var toAdd = allowed - active.Sum(Size);
        // Growing favours the larger (then newer) ReplicaSets, shrinking the smaller (then older) ones.
        var ordered = toAdd > 0
            ? active.OrderByDescending(Size).ThenByDescending(rs => rs.Metadata?.CreationTimestamp).ToList()
            : active.OrderBy(Size).ThenBy(rs => rs.Metadata?.CreationTimestamp).ToList();
        var sizes = ordered.ToDictionary(Name, Size, StringComparer.Ordinal);
        var added = 0;
        foreach (var rs in ordered)
        {
            if (toAdd == 0 || toAdd == added)
            {
                break;
            }
            var annotated = DeploymentRevisions.MaxOf(rs) ?? deployment.Status?.Replicas ?? 0;
            var fraction = replicas == 0 ? -Size(rs) : annotated == 0 ? 0 : (int)Math.Round((double)Size(rs) * allowed / annotated, MidpointRounding.AwayFromZero) - Size(rs);
            var left = toAdd - added;
            var proportion = toAdd > 0 ? Math.Min(fraction, left) : Math.Max(fraction, left);
            sizes[Name(rs)] += proportion;
            added += proportion;
        }
        if (toAdd != added && ordered.Count > 0)
        {
            sizes[Name(ordered[0])] = Math.Max(0, sizes[Name(ordered[0])] + toAdd - added);
        }
        return new RolloutPlan(null, sizes);
    }

    private static RolloutPlan Resize(V1ReplicaSet rs, int size) => new(null, new Dictionary<string, int>(StringComparer.Ordinal) { [Name(rs)] = size });

    private static string Name(V1ReplicaSet rs) => rs.Metadata?.Name ?? "";
}
