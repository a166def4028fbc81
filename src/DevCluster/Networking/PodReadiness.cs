using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>Which pods a Service's Endpoints list, and as ready or not, as the real Endpoints controller decides.</summary>
public static class PodReadiness
{
    /// <summary>
    /// A pod is listed once it has an IP and until it terminates: pods that finished (Succeeded, Failed) or are
    /// being deleted are left out entirely, so traffic drains away from them before their process stops.
    /// </summary>
    public static bool IsListed(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Status?.PodIP)
        && pod.Metadata?.DeletionTimestamp is null
        && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>Equality selector match; a Service without a selector selects nothing (its Endpoints are the user's).</summary>
    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 }
        && selector.All(pair => labels is not null && labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
