using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A Deployment's status from its ReplicaSets' statuses, as kube-controller-manager computes it, with the conditions
/// `kubectl rollout status` reads: Available (MinimumReplicasAvailable / MinimumReplicasUnavailable) and Progressing
/// (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded;
/// DeploymentPaused / DeploymentResumed with Unknown), and while rolling out its ReplicaSets' ReplicaFailure. A condition that keeps its status and reason keeps its times.
/// </summary>
public static class DeploymentStatusBuilder
{
    /// <param name="created">The new ReplicaSet was created in this pass.</param>
    /// <param name="rollout">This pass rolled out (neither paused nor only scaling), so progress is judged.</param>
    public static V1DeploymentStatus Build(V1Deployment deployment, V1ReplicaSet? newRs, IReadOnlyCollection<V1ReplicaSet> all, bool created, bool rollout, DateTimeOffset now)
    {
        var spec = deployment.Spec!;
        var replicas = spec.Replicas ?? 1;
        var previous = deployment.Status;
        var conditions = new List<V1DeploymentCondition>(previous?.Conditions ?? []);
        var deadline = spec.ProgressDeadlineSeconds is { } d && d != int.MaxValue ? d : (int?)null;
        var available = all.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata?.Generation,
            Replicas = all.Sum(rs => rs.Status?.Replicas ?? 0),
            UpdatedReplicas = newRs?.Status?.Replicas ?? 0,
            ReadyReplicas = all.Sum(rs => rs.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, all.Sum(RolloutPlan.Size) - available),
            CollisionCount = previous?.CollisionCount,
        };
        var progressing = conditions.FirstOrDefault(c => c.Type == "Progressing");
        // A reported lack of progress is not overwritten by a paused condition.
        if (deadline is not null && progressing?.Reason != "ProgressDeadlineExceeded")
        {
            if (spec.Paused == true && progressing?.Reason != "DeploymentPaused")
            {
                Set(conditions, Condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now));
            }
            else if (spec.Paused != true && progressing?.Reason == "DeploymentPaused")
            {
                Set(conditions, Condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now));
            }
        }
        if (deadline is not null && newRs is not null && created)
        {
            Set(conditions, Condition("Progressing", "True", "NewReplicaSetCreated", $"Created new replica set \"{newRs.Metadata?.Name}\"", now));
        }
        else if (deadline is not null && newRs is not null && !conditions.Any(c => c.Type == "Progressing"))
        {
            Set(conditions, Condition("Progressing", "True", "FoundNewReplicaSet", $"Found new replica set \"{newRs.Metadata?.Name}\"", now));
        }
        Set(conditions, available >= replicas - RolloutPlan.MaxUnavailable(deployment)
            ? Condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
            : Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now));
        if (deadline is null)
        {
            conditions.RemoveAll(c => c.Type == "Progressing");
        }
        else if (rollout)
        {
            Progress(deployment, status, newRs, conditions, deadline.Value, now);
        }
        if (rollout)
        {
            if (ReplicaFailureCondition.ForDeployment(newRs, all) is { } failure)
            {
                Set(conditions, failure);
            }
            else
            {
                conditions.RemoveAll(c => c.Type == ReplicaFailureCondition.Type);
            }
        }
        return status with { Conditions = conditions };
    }

    /// <summary>The real syncRolloutStatus: complete, else progressing since the last status, else timed out past the deadline.</summary>
    private static void Progress(V1Deployment deployment, V1DeploymentStatus fresh, V1ReplicaSet? newRs, List<V1DeploymentCondition> conditions, int deadline, DateTimeOffset now)
    {
        var current = deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (fresh.Replicas == fresh.UpdatedReplicas && current?.Reason == "NewReplicaSetAvailable")
        {
            return;
        }
        var subject = newRs is null ? $"Deployment \"{deployment.Metadata?.Name}\"" : $"ReplicaSet \"{newRs.Metadata?.Name}\"";
        var replicas = deployment.Spec?.Replicas ?? 1;
        var old = deployment.Status ?? new V1DeploymentStatus();
        var complete = fresh.UpdatedReplicas == replicas && fresh.Replicas == replicas && fresh.AvailableReplicas == replicas
            && fresh.ObservedGeneration >= (deployment.Metadata?.Generation ?? 0);
        var progressed = fresh.UpdatedReplicas > (old.UpdatedReplicas ?? 0)
            || fresh.Replicas - fresh.UpdatedReplicas < (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0)
            || fresh.ReadyReplicas > (old.ReadyReplicas ?? 0) || fresh.AvailableReplicas > (old.AvailableReplicas ?? 0);
        if (complete)
        {
            Set(conditions, Condition("Progressing", "True", "NewReplicaSetAvailable", $"{subject} has successfully progressed.", now));
        }
        else if (progressed)
        {
            var condition = Condition("Progressing", "True", "ReplicaSetUpdated", $"{subject} is progressing.", now);
            if (current?.Status == "True")
            {
                condition = condition with { LastTransitionTime = current.LastTransitionTime };
            }
            conditions.RemoveAll(c => c.Type == "Progressing");
            conditions.Add(condition);
        }
        else if (conditions.FirstOrDefault(c => c.Type == "Progressing") is { } latest && latest.Reason != "NewReplicaSetAvailable"
            && (latest.Reason == "ProgressDeadlineExceeded" || (latest.LastUpdateTime is { } since && since.AddSeconds(deadline) < now)))
        {
            Set(conditions, Condition("Progressing", "False", "ProgressDeadlineExceeded", $"{subject} has timed out progressing.", now));
        }
    }

    private static V1DeploymentCondition Condition(string type, string status, string reason, string message, DateTimeOffset now) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = now, LastUpdateTime = now };

    /// <summary>SetDeploymentCondition: the same status and reason change nothing; the same status keeps its transition time.</summary>
    private static void Set(List<V1DeploymentCondition> conditions, V1DeploymentCondition condition)
    {
        var current = conditions.FirstOrDefault(c => c.Type == condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }
        if (current is not null && current.Status == condition.Status)
        {
            condition = condition with { LastTransitionTime = current.LastTransitionTime };
        }
        conditions.RemoveAll(c => c.Type == condition.Type);
        conditions.Add(condition);
    }
}
