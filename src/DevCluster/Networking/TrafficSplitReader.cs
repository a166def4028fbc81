using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Reads weighted splits from an HTTPRoute or a GRPCRoute (gateway.networking.k8s.io/v1, GAMMA style: a parentRef of
/// kind Service) or from the routing ConfigMap. No I/O. What the router cannot honour is dropped here, on purpose:
/// parentRefs to Gateways (there is no gateway), cross-namespace parents or backends (they would need a
/// ReferenceGrant), backendRefs of other kinds, and RegularExpression paths. Header, query and method matches
/// are not evaluated: an HTTPRoute match counts by its path alone, and a GRPCRoute rule (whose matches name gRPC
/// services and methods, not paths) takes every call.
/// </summary>
public static class TrafficSplitReader
{
    public static IEnumerable<TrafficSplit> FromRoute(JsonObject route)
    {
        var ns = JsonTree.GetString(route, "metadata.namespace") ?? "";
        var name = JsonTree.GetString(route, "metadata.name") ?? "";
        var kindName = JsonTree.GetString(route, "kind") ?? "HTTPRoute";
        var byPath = kindName == "HTTPRoute";
        var rules = (JsonTree.Get(route, "spec.rules") as JsonArray ?? []).OfType<JsonObject>().Select(r => ReadRule(r, ns, byPath)).ToList();
        foreach (var parent in (JsonTree.Get(route, "spec.parentRefs") as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = JsonTree.GetString(parent, "kind") ?? "Gateway";
            var group = JsonTree.GetString(parent, "group") ?? "gateway.networking.k8s.io";
            if (kind != "Service" || group is not ("" or "core") || (JsonTree.GetString(parent, "namespace") ?? ns) != ns)
            {
                continue;
            }

            var port = JsonTree.GetLong(parent, "port") is { } p ? (int?)p : null;
            yield return new TrafficSplit(ns, JsonTree.GetString(parent, "name") ?? "", port, rules, $"{kindName} {ns}/{name}", 0, CreatedAt(route));
        }
    }

    /// <summary>The ConfigMap form; null (with the reason) when it names no Service or its weights are not {"service": integer}.</summary>
    public static TrafficSplit? FromConfigMap(V1ConfigMap map, out string? error)
    {
        error = null;
        var ns = map.Metadata?.Namespace ?? "";
        var source = $"ConfigMap {ns}/{map.Metadata?.Name}";
        if (map.Metadata?.Annotations?.TryGetValue(NetworkingNames.RouteForAnnotation, out var frontend) != true || string.IsNullOrEmpty(frontend))
        {
            error = $"{source}: annotation {NetworkingNames.RouteForAnnotation} is missing";
            return null;
        }

        if (map.Data?.TryGetValue(NetworkingNames.WeightsKey, out var json) != true || json is null)
        {
            error = $"{source}: data key {NetworkingNames.WeightsKey} is missing";
            return null;
        }

        var backends = new List<WeightedBackend>();
        try
        {
            if (JsonNode.Parse(json) is not JsonObject weights)
            {
                error = $"{source}: {NetworkingNames.WeightsKey} must be a JSON object of Service name to weight";
                return null;
            }

            foreach (var (service, value) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
            {
                if (value is not JsonValue v || !v.TryGetValue<int>(out var weight) || weight < 0)
                {
                    error = $"{source}: {NetworkingNames.WeightsKey}.{service} must be a non-negative integer";
                    return null;
                }

                backends.Add(new WeightedBackend(service, null, weight));
            }
        }
        catch (JsonException e)
        {
            error = $"{source}: {NetworkingNames.WeightsKey} is not JSON ({e.Message})";
            return null;
        }

        return new TrafficSplit(ns, frontend!, null, [new SplitRule([], backends)], source, 1, map.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue);
    }

    private static SplitRule ReadRule(JsonObject rule, string ns, bool byPath)
    {
        var paths = new List<PathMatch>();
        var matches = byPath ? (rule["matches"] as JsonArray ?? []).OfType<JsonObject>().ToList() : [];
        foreach (var match in matches)
        {
            var type = JsonTree.GetString(match, "path.type") ?? "PathPrefix";
            var value = JsonTree.GetString(match, "path.value") ?? "/";
            if (type is "Exact" or "PathPrefix")
            {
                paths.Add(new PathMatch(type == "Exact", value));
            }
        }

        // Matches that were all unsupported must match nothing, not everything.
        if (matches.Count > 0 && paths.Count == 0)
        {
            paths.Add(new PathMatch(true, "\0unsupported"));
        }

        var backends = new List<WeightedBackend>();
        foreach (var backend in (rule["backendRefs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = JsonTree.GetString(backend, "kind") ?? "Service";
            var group = JsonTree.GetString(backend, "group") ?? "";
            if (kind != "Service" || group is not ("" or "core") || (JsonTree.GetString(backend, "namespace") ?? ns) != ns)
            {
                continue;
            }

            var port = JsonTree.GetLong(backend, "port") is { } p ? (int?)p : null;
            var weight = JsonTree.GetLong(backend, "weight") is { } w ? (int)Math.Clamp(w, 0, 1_000_000) : 1;
            backends.Add(new WeightedBackend(JsonTree.GetString(backend, "name") ?? "", port, weight));
        }

        return new SplitRule(paths, backends);
    }

    private static DateTimeOffset CreatedAt(JsonObject obj) =>
        DateTimeOffset.TryParse(JsonTree.GetString(obj, "metadata.creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : DateTimeOffset.MinValue;
}
