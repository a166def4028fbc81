using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>
/// How the real API server deletes pods: a pod bound to a node and still running is only marked (deletionTimestamp
/// = now + grace period, deletionGracePeriodSeconds) so its kubelet can stop the containers (SIGTERM, then SIGKILL)
/// and then delete it for good with a grace period of 0. Unscheduled or finished pods, and a grace period of 0
/// (kubectl delete --force --grace-period=0), delete at once.
/// </summary>
public static class PodGracefulDeletion
{
    private const long DefaultGracePeriodSeconds = 30;

    /// <summary>The grace period this DELETE gives the object; null for kinds without graceful deletion.</summary>
    public static long? GracePeriodOf(ResourceType type, JsonObject obj, long? requested)
    {
        if (type.Kind != "Pod" || type.Group.Length != 0)
        {
            return null;
        }
        var phase = JsonTree.GetString(obj, "status.phase");
        if (string.IsNullOrEmpty(JsonTree.GetString(obj, "spec.nodeName")) || phase is "Succeeded" or "Failed")
        {
            return 0;
        }
        var grace = requested ?? JsonTree.GetLong(obj, "spec.terminationGracePeriodSeconds") ?? DefaultGracePeriodSeconds;
        return Math.Max(0, grace);
    }

    /// <summary>True for a pod its kubelet is still stopping: removing its last finalizer must not delete it yet.</summary>
    public static bool IsStopping(JsonObject obj) =>
        obj["kind"]?.GetValue<string>() == "Pod" && (JsonTree.GetLong(obj, "metadata.deletionGracePeriodSeconds") ?? 0) > 0;
}
