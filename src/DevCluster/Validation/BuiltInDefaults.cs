using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The defaults the real server's built-in types apply that clients rely on reading back (a Secret is
/// Opaque, a Service is ClusterIP with TCP ports, a Deployment has one replica and a RollingUpdate strategy).
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
            case "Secret":
                SetIfMissing(obj, "type", "Opaque");
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
