using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// A pod's quality-of-service class as the real server computes it on create (status.qosClass), from the cpu and
/// memory of its containers and init containers: BestEffort when none requests or limits either; Guaranteed when
/// every container limits both and the summed requests equal the summed limits (a missing request counts as its
/// limit, as the server defaults it); otherwise Burstable. Zero quantities count as unset. Pure.
/// </summary>
public static class PodQos
{
    private static readonly string[] Resources = ["cpu", "memory"];

    public static string Of(JsonNode? podSpec)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        var containers = (JsonTree.Get(podSpec, "containers") as JsonArray ?? []).Concat(JsonTree.Get(podSpec, "initContainers") as JsonArray ?? []);
        foreach (var container in containers)
        {
            var containerLimits = Quantities(JsonTree.Get(container, "resources.limits"));
            var containerRequests = Quantities(JsonTree.Get(container, "resources.requests"));
            foreach (var (name, limit) in containerLimits)
            {
                // The server's defaulting: a limit without a request is also the request.
                containerRequests.TryAdd(name, limit);
            }
            Add(requests, containerRequests);
            Add(limits, containerLimits);
            guaranteed &= Resources.All(r => containerLimits.GetValueOrDefault(r) > 0);
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }
        guaranteed &= requests.Count == limits.Count && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value);
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>
    /// The class is the server's, set on create: a status write that leaves it out keeps it (the real server backfills
    /// it so, for kubelets that drop it), so a kubelet that writes a whole status need not know it.
    /// </summary>
    public static void Backfill(JsonObject old, JsonObject updated)
    {
        if (string.IsNullOrEmpty(JsonTree.GetString(updated, "status.qosClass")) && JsonTree.GetString(old, "status.qosClass") is { Length: > 0 } qosClass)
        {
            JsonTree.Set(updated, "status.qosClass", qosClass);
        }
    }

    /// <summary>The cpu and memory quantities given (others do not decide the class; unparsable ones were refused by the decode).</summary>
    private static Dictionary<string, decimal> Quantities(JsonNode? list)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var name in Resources)
        {
            if (JsonTree.ScalarText((list as JsonObject)?[name]) is { } text && ResourceQuantity.TryParse(text, out var quantity))
            {
                result[name] = quantity.Value;
            }
        }
        return result;
    }

    /// <summary>Sums the amounts above zero: a zero request or limit counts as none.</summary>
    private static void Add(Dictionary<string, decimal> totals, Dictionary<string, decimal> amounts)
    {
        foreach (var (name, amount) in amounts.Where(a => a.Value > 0))
        {
            totals[name] = totals.GetValueOrDefault(name) + amount;
        }
    }
}
