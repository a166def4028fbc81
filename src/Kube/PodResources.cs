using RecOperator.Kube.Models;

namespace RecOperator.Kube;

/// <summary>Resource arithmetic of pods: what a pod requests, and which pods still hold their node's resources.</summary>
public static class PodResources
{
    /// <summary>
    /// The sum of the containers' requests; a resource with only a limit requests its limit (the API server's
    /// defaulting does that, and extended resources such as nvidia.com/gpu are usually written as limits only).
    /// </summary>
    public static Dictionary<string, decimal> Requests(V1Pod pod)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
            var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
            foreach (var name in requests.Keys.Union(limits.Keys))
            {
                var amount = requests.TryGetValue(name, out var r) ? r.Value : limits[name].Value;
                total[name] = total.GetValueOrDefault(name) + amount;
            }
        }
        return total;
    }

    /// <summary>A pod holds its node's resources until it has finished or is gone (terminating pods still hold them).</summary>
    public static bool HoldsNode(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>Per node name, the summed requests of the pods that hold it (<see cref="HoldsNode"/>): what the scheduler counts as in use.</summary>
    public static Dictionary<string, Dictionary<string, decimal>> InUseByNode(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var used = new Dictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(HoldsNode))
        {
            var node = used.TryGetValue(pod.Spec!.NodeName!, out var existing) ? existing : used[pod.Spec.NodeName!] = new(StringComparer.Ordinal);
            foreach (var (name, amount) in Requests(pod))
            {
                node[name] = node.GetValueOrDefault(name) + amount;
            }
        }
        return used;
    }
}
