using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A ReplicaSet's status from the pods it controls, as the ReplicaSet controller writes it: active pods (neither
/// terminating nor finished), those carrying all of the template's labels, the Ready ones, those Ready for
/// minReadySeconds, and the generation observed. Conditions (ReplicaFailure) are kept as they were.
/// </summary>
public static class ReplicaSetStatusBuilder
{
    public static V1ReplicaSetStatus Build(V1ReplicaSet rs, IReadOnlyCollection<V1Pod> pods, DateTimeOffset now)
    {
        var minReady = rs.Spec?.MinReadySeconds ?? 0;
        var templateLabels = rs.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        var active = pods.Where(PodView.IsActive).ToList();
        return new V1ReplicaSetStatus
        {
            Replicas = active.Count,
            FullyLabeledReplicas = active.Count(p => templateLabels.All(l => p.Metadata?.Labels.Find(l.Key) == l.Value)),
            ReadyReplicas = active.Count(PodView.IsReady),
            AvailableReplicas = active.Count(p => PodView.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata?.Generation,
            Conditions = rs.Status?.Conditions,
        };
    }
}
