using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The defaults the real server's built-in types apply that clients rely on reading back (a Namespace is labelled
/// `kubernetes.io/metadata.name` with its name, a Secret is Opaque with its stringData folded into data, a Service is
/// ClusterIP with TCP ports whose targetPort is their port, no session affinity and the Cluster traffic policy, a Deployment has one replica and a RollingUpdate strategy, a pod spec restarts Always
/// under the default scheduler, its containers pull by tag and its probes have their timings).
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
                if (JsonTree.GetString(obj, "spec.type") != "ExternalName")
                {
                    SetIfMissing(obj, "spec.sessionAffinity", "None");
                    SetIfMissing(obj, "spec.internalTrafficPolicy", "Cluster");
                    // A port without a targetPort sends to the same port number on the pods: controllers read it back.
                    foreach (var port in (JsonTree.Get(obj, "spec.ports") as JsonArray ?? []).OfType<JsonObject>())
                    {
                        port["targetPort"] ??= port["port"]?.DeepClone();
                    }
                }
                break;
            case "Deployment":
                SetIfMissing(obj, "spec.replicas", 1);
                SetIfMissing(obj, "spec.revisionHistoryLimit", 10);
                SetIfMissing(obj, "spec.progressDeadlineSeconds", 600);
                DeploymentStrategy(obj);
                PodSpec(JsonTree.Get(obj, "spec.template.spec") as JsonObject);
                break;
            case "ReplicaSet":
                SetIfMissing(obj, "spec.replicas", 1);
                PodSpec(JsonTree.Get(obj, "spec.template.spec") as JsonObject);
                break;
            case "Pod" when type.Group.Length == 0:
                PodSpec(JsonTree.Get(obj, "spec") as JsonObject);
                // A pod (not a template) also links services into its environment unless told not to.
                if (obj["spec"] is JsonObject podSpec)
                {
                    SetIfMissing(podSpec, "enableServiceLinks", true);
                }
                break;
        }
    }

    /// <summary>
    /// SetDefaults_Deployment's strategy: RollingUpdate when no type is given, and 25% surge and unavailability for a
    /// rolling update that does not say. kubectl sends `strategy: {}`, so an empty one is defaulted, not only a missing one.
    /// </summary>
    private static void DeploymentStrategy(JsonObject obj)
    {
        if (JsonTree.Get(obj, "spec") is not JsonObject spec)
        {
            return;
        }
        SetIfMissing(spec, "strategy", new JsonObject());
        if (spec["strategy"] is not JsonObject strategy)
        {
            return;
        }
        SetIfMissing(strategy, "type", "RollingUpdate");
        if (strategy["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "RollingUpdate")
        {
            SetIfMissing(strategy, "rollingUpdate", new JsonObject());
            if (strategy["rollingUpdate"] is JsonObject rollingUpdate)
            {
                SetIfMissing(rollingUpdate, "maxUnavailable", "25%");
                SetIfMissing(rollingUpdate, "maxSurge", "25%");
            }
        }
    }

    /// <summary>SetDefaults_PodSpec, _Container and _Probe of the real server, for a pod or a workload's template.</summary>
    private static void PodSpec(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }
        SetIfMissing(spec, "restartPolicy", "Always");
        SetIfMissing(spec, "terminationGracePeriodSeconds", 30);
        SetIfMissing(spec, "dnsPolicy", "ClusterFirst");
        SetIfMissing(spec, "schedulerName", "default-scheduler");
        SetIfMissing(spec, "securityContext", new JsonObject());
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                DefaultProtocols(container["ports"]);
                SetIfMissing(container, "terminationMessagePath", "/dev/termination-log");
                SetIfMissing(container, "terminationMessagePolicy", "File");
                SetIfMissing(container, "imagePullPolicy", PullPolicyFor(JsonTree.GetString(container, "image")));
                foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
                {
                    if (container[probe] is JsonObject settings)
                    {
                        SetIfMissing(settings, "timeoutSeconds", 1);
                        SetIfMissing(settings, "periodSeconds", 10);
                        SetIfMissing(settings, "successThreshold", 1);
                        SetIfMissing(settings, "failureThreshold", 3);
                        ActionDefaults(settings);
                    }
                }
            }
        }
    }

    /// <summary>
    /// SetDefaults_HTTPGetAction and _GRPCAction: path "/" and scheme HTTP, and a gRPC probe's service "" (kubectl
    /// describe dereferences it and panicked on every pod the operator made without it).
    /// </summary>
    private static void ActionDefaults(JsonObject probe)
    {
        if (probe["httpGet"] is JsonObject httpGet)
        {
            SetIfMissing(httpGet, "path", "/");
            SetIfMissing(httpGet, "scheme", "HTTP");
        }
        if (probe["grpc"] is JsonObject grpc)
        {
            SetIfMissing(grpc, "service", "");
        }
    }

    /// <summary>Always for an image without a tag or tagged latest (and no digest), else IfNotPresent.</summary>
    private static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        return colon < 0 || image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
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
