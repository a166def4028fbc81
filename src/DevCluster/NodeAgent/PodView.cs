using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>Questions controllers ask about a pod, read from its status the way the real controllers read them.</summary>
public static class PodView
{
    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    public static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>Counts toward a Deployment's replicas: neither terminating nor finished.</summary>
    public static bool IsActive(V1Pod pod) => !IsTerminating(pod) && !IsFinished(pod);

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least minReadySeconds.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        ReadyCondition(pod) is { Status: "True" } ready
        && (minReadySeconds <= 0 || (ready.LastTransitionTime is { } since && since.AddSeconds(minReadySeconds) <= now));

    public static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static string Key(V1Pod pod) => $"{pod.Metadata?.Namespace}/{pod.Metadata?.Name}";

    /// <summary>
    /// The order in which a controller gives up pods when it must delete some, cheapest loss first, as the
    /// ReplicaSet controller ranks them: unscheduled, then pending (before unknown, before running), then not ready,
    /// then more restarts, then the newest.
    /// </summary>
    public static IEnumerable<V1Pod> DeletionOrder(IEnumerable<V1Pod> pods) => pods
        .OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
        .ThenBy(p => p.Status?.Phase switch { "Pending" or null => 0, "Unknown" => 1, _ => 2 })
        .ThenBy(p => IsReady(p) ? 1 : 0)
        .ThenByDescending(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0)
        .ThenByDescending(p => p.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue);
}
