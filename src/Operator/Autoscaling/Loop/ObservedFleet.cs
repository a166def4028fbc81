using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// What the cluster shows of one model's fleet: the replicas its Deployments ask for, how many are ready, and how
/// many pods cannot be scheduled (no room in the pool). Built from the informer caches by a pure function.
/// </summary>
public sealed record ObservedFleet(IReadOnlyDictionary<PlacementKey, int> DeployedReplicas, IReadOnlyDictionary<PlacementKey, ReplicaCounts> Actual)
{
    public static ObservedFleet Empty { get; } = new(new Dictionary<PlacementKey, int>(), new Dictionary<PlacementKey, ReplicaCounts>());

    /// <param name="deployments">The model's Deployments (labelled with variant and pool by the reconciler).</param>
    /// <param name="pods">The model's pods.</param>
    public static ObservedFleet From(IEnumerable<V1Deployment> deployments, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(pods);
        var replicas = new Dictionary<PlacementKey, int>();
        var ready = new Dictionary<PlacementKey, int>();
        foreach (var deployment in deployments.Where(d => d.Metadata?.DeletionTimestamp is null))
        {
            if (KeyOf(deployment.Metadata?.Labels) is { } key)
            {
                // An unset spec.replicas means 1 to the Deployment controller.
                replicas[key] = deployment.Spec?.Replicas ?? 1;
                ready[key] = deployment.Status?.ReadyReplicas ?? 0;
            }
        }

        var pending = pods.Where(IsUnschedulable).Select(p => KeyOf(p.Metadata?.Labels)).OfType<PlacementKey>()
            .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var actual = replicas.Keys.Concat(pending.Keys).Distinct()
            .ToDictionary(k => k, k => new ReplicaCounts(ready.GetValueOrDefault(k), pending.GetValueOrDefault(k)));
        return new ObservedFleet(replicas, actual);
    }

    /// <summary>Pending because the scheduler found no node with room: the signal for spill-over.</summary>
    public static bool IsUnschedulable(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && pod.Status?.Phase is null or "Pending"
        && (pod.Status?.Conditions ?? []).Any(c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" });

    private static PlacementKey? KeyOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(ChildLabels.Variant, out var variant) && labels.TryGetValue(ChildLabels.Pool, out var pool)
            ? new PlacementKey(variant, pool)
            : null;
}
