using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One step of the deployment controller, as a pure function of the Deployment and its active pods: how many pods of
/// the current template to create and which pods to delete. Rolling updates keep at most replicas + maxSurge pods and
/// at least replicas - maxUnavailable available ones, as the real controller does with its two ReplicaSets;
/// Recreate deletes every old pod before the first new one starts.
/// </summary>
public sealed record RolloutPlan(int Create, IReadOnlyList<V1Pod> Delete)
{
    public static RolloutPlan Compute(V1Deployment deployment, string currentHash, IReadOnlyCollection<V1Pod> pods, bool anyTerminating, DateTimeOffset now)
    {
        var spec = deployment.Spec!;
        var replicas = spec.Replicas ?? 1;
        var minReady = spec.MinReadySeconds ?? 0;
        var active = pods.Where(PodView.IsActive).ToList();
        var current = active.Where(p => IsCurrent(p, currentHash)).ToList();
        var old = active.Where(p => !IsCurrent(p, currentHash)).ToList();
        var finished = pods.Where(p => PodView.IsFinished(p) && !PodView.IsTerminating(p)).ToList();

        if (spec.Strategy?.Type == "Recreate")
        {
            if (old.Count > 0)
            {
                return new RolloutPlan(0, [.. finished, .. old]);
            }
            // No new pod while an old one is still stopping: Recreate promises they never run side by side.
            return anyTerminating ? new RolloutPlan(0, finished) : Scale(current, replicas, int.MaxValue, finished);
        }

        var (surge, unavailable) = Fenceposts(spec.Strategy?.RollingUpdate, replicas);
        if (old.Count == 0)
        {
            return Scale(current, replicas, replicas + surge, finished);
        }
        var create = Math.Max(0, Math.Min(replicas - current.Count, replicas + surge - active.Count));
        var minAvailable = replicas - unavailable;
        var delete = new List<V1Pod>(finished);
        // First the old pods that serve nothing anyway, then available ones while enough stay available.
        var currentUnavailable = current.Count(p => !PodView.IsAvailable(p, minReady, now));
        var budget = active.Count - minAvailable - currentUnavailable;
        var unhealthyOld = PodView.DeletionOrder(old.Where(p => !PodView.IsAvailable(p, minReady, now))).Take(Math.Max(0, budget)).ToList();
        delete.AddRange(unhealthyOld);
        var available = active.Except(unhealthyOld).Count(p => PodView.IsAvailable(p, minReady, now));
        var more = Math.Max(0, available - minAvailable);
        delete.AddRange(PodView.DeletionOrder(old.Except(unhealthyOld)).Take(more));
        return new RolloutPlan(create, delete);
    }

    /// <summary>maxSurge rounds up and maxUnavailable down (defaults 25%); both 0 would stall, so maxUnavailable becomes 1.</summary>
    public static (int Surge, int Unavailable) Fenceposts(V1RollingUpdateDeployment? rolling, int replicas)
    {
        var surge = (rolling?.MaxSurge ?? "25%").GetScaledValue(replicas, roundUp: true);
        var unavailable = (rolling?.MaxUnavailable ?? "25%").GetScaledValue(replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, Math.Min(unavailable, replicas));
    }

    public static bool IsCurrent(V1Pod pod, string hash) =>
        pod.Metadata?.Labels is { } labels && labels.TryGetValue(PodTemplateHash.Label, out var h) && h == hash;

    private static RolloutPlan Scale(List<V1Pod> current, int replicas, int ceiling, List<V1Pod> finished)
    {
        if (current.Count > replicas)
        {
            return new RolloutPlan(0, [.. finished, .. PodView.DeletionOrder(current).Take(current.Count - replicas)]);
        }
        return new RolloutPlan(Math.Max(0, Math.Min(replicas, ceiling) - current.Count), finished);
    }
}
