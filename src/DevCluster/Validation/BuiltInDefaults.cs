using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The defaults the real server's built-in types apply that clients rely on reading back (a Namespace is labelled
/// `kubernetes.io/metadata.name` with its name, a Secret is Opaque with its stringData folded into data, a Service is ClusterIP with TCP ports, a Deployment has one replica
/// and a RollingUpdate strategy).
/// </summary>
public static class BuiltInDefaults
{
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            return;
        }
        switch (type.Kind)
        {
            case "Namespace":
                NamespaceRules.SetNameLabel(obj);
                break;
            case "Secret":
                SetIfMissing(obj, "type", "Opaque");
                FoldStringData(obj);
                break;
            case "Service":
                SetIfMissing(obj, "spec.type", "ClusterIP");
                DefaultProtocols(JsonTree.Get(obj, "spec.ports"));
                break;
            case "Deployment":
                SetIfMissing(obj, "spec.replicas", 1);
                SetIfMissing(obj, "spec.revisionHistoryLimit", 10);
                SetIfMissing(obj, "spec.progressDeadlineSeconds", 600);
                if (JsonTree.Get(obj, "spec.strategy") is null)
                {
                    JsonTree.Set(obj, "spec.strategy", new JsonObject
                    {
                        ["type"] = "RollingUpdate",
                        ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                    });
                }
                foreach (var container in JsonTree.Get(obj, "spec.template.spec.containers") as JsonArray ?? [])
                {
                    DefaultProtocols(JsonTree.Get(container, "ports"));
                }
                break;
        }
    }

    // stringData is write-only: the server merges it into data (base64, its keys winning over data's) and never
    // stores or returns it, so readers such as the kubelet's secret volumes look at data alone.
    private static void FoldStringData(JsonObject obj)
    {
        if (obj["stringData"] is not JsonObject strings)
        {
            return;
        }
        obj.Remove("stringData");
        if (strings.Count == 0)
        {
            return;
        }
        if (obj["data"] is not JsonObject data)
        {
            data = [];
            obj["data"] = data;
        }
        foreach (var (key, value) in strings)
        {
            // A value that is not a string is kept as its JSON text rather than failing the whole write.
            var text = value is JsonValue scalar && scalar.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }
    }

    private static void DefaultProtocols(JsonNode? ports)
    {
        foreach (var port in (ports as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
        }
    }

    private static void SetIfMissing(JsonObject obj, string path, JsonNode value)
    {
        if (JsonTree.Get(obj, path) is null)
        {
            JsonTree.Set(obj, path, value);
        }
    }
}
