using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A Deployment's status from its pods, with the conditions and reasons `kubectl rollout status` reads:
/// Available (MinimumReplicasAvailable / MinimumReplicasUnavailable) and Progressing (ReplicaSetUpdated while
/// rolling, NewReplicaSetAvailable when complete, ProgressDeadlineExceeded when stuck past progressDeadlineSeconds).
/// Conditions keep their transition times while their status holds.
/// </summary>
public static class DeploymentStatusBuilder
{
    public static V1DeploymentStatus Build(V1Deployment deployment, string currentHash, IReadOnlyCollection<V1Pod> pods, DateTimeOffset now)
    {
        var spec = deployment.Spec!;
        var replicas = spec.Replicas ?? 1;
        var minReady = spec.MinReadySeconds ?? 0;
        var active = pods.Where(PodView.IsActive).ToList();
        var updated = active.Count(p => RolloutPlan.IsCurrent(p, currentHash));
        var ready = active.Count(PodView.IsReady);
        var available = active.Count(p => PodView.IsAvailable(p, minReady, now));
        var previous = deployment.Status;
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata?.Generation,
            Replicas = active.Count,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, active.Count - available),
        };
        var unavailableAllowed = spec.Strategy?.Type == "Recreate" ? replicas : RolloutPlan.Fenceposts(spec.Strategy?.RollingUpdate, replicas).Unavailable;
        var availableCondition = available >= replicas - unavailableAllowed
            ? Condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
        var rsName = $"{deployment.Metadata?.Name}-{currentHash}";
        var complete = updated == replicas && active.Count == replicas && available == replicas;
        var progressed = previous is null || previous.Replicas != status.Replicas || previous.UpdatedReplicas != status.UpdatedReplicas
            || previous.AvailableReplicas != status.AvailableReplicas || previous.ObservedGeneration != status.ObservedGeneration;
        var lastProgressing = previous?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        var deadline = spec.ProgressDeadlineSeconds ?? 600;
        V1DeploymentCondition progressing;
        if (complete)
        {
            progressing = Condition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.");
        }
        else if (!progressed && lastProgressing is { LastUpdateTime: { } lastUpdate } && lastUpdate.AddSeconds(deadline) < now)
        {
            progressing = Condition("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{rsName}\" has timed out progressing.");
        }
        else
        {
            progressing = Condition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.");
        }
        return status with
        {
            Conditions = [Carry(previous, availableCondition, now, touch: false), Carry(previous, progressing, now, touch: progressed)],
        };
    }

    private static V1DeploymentCondition Condition(string type, string status, string reason, string message) =>
        new() { Type = type, Status = status, Reason = reason, Message = message };

    /// <summary>lastTransitionTime moves only when the status flips; lastUpdateTime when anything about it changed or progress was made.</summary>
    private static V1DeploymentCondition Carry(V1DeploymentStatus? previous, V1DeploymentCondition fresh, DateTimeOffset now, bool touch)
    {
        var old = previous?.Conditions?.FirstOrDefault(c => c.Type == fresh.Type);
        if (old is null)
        {
            return fresh with { LastTransitionTime = now, LastUpdateTime = now };
        }
        var same = old.Status == fresh.Status && old.Reason == fresh.Reason && old.Message == fresh.Message;
        return fresh with
        {
            LastTransitionTime = old.Status == fresh.Status ? old.LastTransitionTime ?? now : now,
            LastUpdateTime = same && !touch ? old.LastUpdateTime ?? now : now,
        };
    }
}
