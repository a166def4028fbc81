using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One step of the ReplicaSet controller, as a pure function of the ReplicaSet and the pods it controls: how many pods
/// to create and which to delete. Finished pods are deleted (they no longer count and would pile up); surplus active
/// pods go in <see cref="PodView.DeletionOrder"/>, cheapest loss first.
/// </summary>
public sealed record ReplicaSetPlan(int Create, IReadOnlyList<V1Pod> Delete)
{
    public static ReplicaSetPlan Compute(V1ReplicaSet rs, IReadOnlyCollection<V1Pod> pods)
    {
        var replicas = rs.Spec?.Replicas ?? 1;
        var active = pods.Where(PodView.IsActive).ToList();
        var delete = pods.Where(p => PodView.IsFinished(p) && !PodView.IsTerminating(p)).ToList();
        if (active.Count > replicas)
        {
            delete.AddRange(PodView.DeletionOrder(active).Take(active.Count - replicas));
        }
        return new ReplicaSetPlan(Math.Max(0, replicas - active.Count), delete);
    }
}
