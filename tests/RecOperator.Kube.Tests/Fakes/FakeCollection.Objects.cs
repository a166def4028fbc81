using System.Globalization;
using System.Text.Json.Nodes;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>Single-object requests: get, update (with resourceVersion check), patch, delete, status, scale.</summary>
public sealed partial class FakeCollection
{
    private (int Code, JsonNode Body) HandleObject(string method, string name, string? subresource, string body, string? contentType)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(name, out var current))
            {
                return (404, FakeResponses.Status(404, "NotFound", $"{Kind} \"{name}\" not found"));
            }

            return (method, subresource) switch
            {
                ("GET", null or "status") => (200, current.DeepClone()),
                ("GET", "scale") => (200, ScaleOf(current)),
                ("PUT", "scale") => (200, ScaleOf(SetReplicas(name, current, JsonNode.Parse(body)!["spec"]!["replicas"]!.GetValue<int>()))),
                ("PUT", _) => Update(name, current, (JsonObject)JsonNode.Parse(body)!, subresource == "status"),
                ("PATCH", _) when contentType is "application/merge-patch+json" or "application/apply-patch+yaml" =>
                    (200, Store(name, (JsonObject)MergePatch(current.DeepClone(), JsonNode.Parse(body)!)!, "MODIFIED")),
                ("PATCH", _) => (415, FakeResponses.Status(415, "UnsupportedMediaType", $"fake does not apply {contentType}")),
                ("DELETE", null) => Delete(name, current, body),
                _ => (405, FakeResponses.Status(405, "MethodNotAllowed", $"{method} {subresource}")),
            };
        }
    }

    private (int, JsonNode) Update(string name, JsonObject current, JsonObject incoming, bool statusOnly)
    {
        var sent = incoming["metadata"]?["resourceVersion"]?.GetValue<string>();
        var actual = current["metadata"]!["resourceVersion"]!.GetValue<string>();
        if (sent != actual)
        {
            return (409, FakeResponses.Status(409, "Conflict",
                $"Operation cannot be fulfilled on {Kind} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"));
        }

        var next = (JsonObject)current.DeepClone();
        if (statusOnly)
        {
            next["status"] = incoming["status"]?.DeepClone();
        }
        else
        {
            next = (JsonObject)incoming.DeepClone();
            next["metadata"]!["uid"] = current["metadata"]!["uid"]!.DeepClone();
            next["metadata"]!["generation"] = (current["metadata"]!["generation"]?.GetValue<int>() ?? 1) + 1;
            next["status"] = current["status"]?.DeepClone();
        }

        return (200, Store(name, next, "MODIFIED"));
    }

    private (int, JsonNode) Delete(string name, JsonObject current, string body)
    {
        var precondition = body.Length > 0 ? JsonNode.Parse(body)?["preconditions"]?["resourceVersion"]?.GetValue<string>() : null;
        if (precondition is not null && precondition != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            return (409, FakeResponses.Status(409, "Conflict", $"Precondition failed: resourceVersion {precondition}"));
        }

        Remove(name);
        return (200, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success" });
    }

    private JsonObject SetReplicas(string name, JsonObject current, int replicas)
    {
        var next = (JsonObject)current.DeepClone();
        next["spec"] ??= new JsonObject();
        next["spec"]!["replicas"] = replicas;
        return Store(name, next, "MODIFIED");
    }

    private static JsonObject ScaleOf(JsonObject obj) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = obj["metadata"]!.DeepClone(),
        ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.GetValue<int>() ?? 1 },
        ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.GetValue<int>() ?? 0 },
    };

    // RFC 7386: objects merge member by member, null deletes, anything else replaces.
    private static JsonNode? MergePatch(JsonNode? target, JsonNode patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key]?.DeepClone(), value);
            }
        }

        return result;
    }

    internal static string Version(long value) => value.ToString(CultureInfo.InvariantCulture);
}
