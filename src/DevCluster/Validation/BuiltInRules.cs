using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The real server's validation of the kinds this control plane acts on, for the rules a client is likeliest to
/// break: a pod spec's containers (named, unique, with an image, ports in range, env vars named, volume mounts of
/// declared volumes, resources: <see cref="ResourceRequirementRules"/>), its nodeSelector and tolerations (<see cref="TolerationRules"/>), a Deployment's or ReplicaSet's selector (present, not empty, matching its template's labels),
/// a Service's ports, ConfigMap and Secret keys and size. Each is a 422 cause in the real server's words, so a Deployment that
/// a real cluster would refuse is refused here too, before a controller acts on it. Pure.
/// </summary>
public static class BuiltInRules
{
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] ServiceTypes = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

    public static IReadOnlyList<FieldError> Validate(ResourceType type, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        var errors = new List<FieldError>();
        switch (type.IsCustom ? null : $"{type.Group}/{type.Kind}")
        {
            case "/Pod":
                PodSpec(JsonTree.Get(obj, "spec") as JsonObject, "spec", onlyAlways: false, errors);
                break;
            case "apps/Deployment" or "apps/ReplicaSet":
                Workload(obj, type.Kind, errors);
                break;
            case "/Service":
                Service(obj, errors);
                break;
            case "/ConfigMap" or "/Secret":
                errors.AddRange(ConfigDataRules.Validate(type.Kind, obj));
                break;
        }
        return errors;
    }

    /// <summary>
    /// Fields an update may not change: a Deployment's or ReplicaSet's selector (apps/v1), a Secret's type, the data of a
    /// ConfigMap or Secret marked `immutable` (which stays so; <see cref="ConfigDataRules"/>), and most of a pod's spec (<see cref="PodUpdateRules"/>; its
    /// binding subresource sets spec.nodeName). A controller that changes its workloads' selector fails here as it
    /// would on a real cluster, instead of orphaning the old pods unseen.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject old, JsonObject updated, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var errors = new List<FieldError>();
        switch (type.IsCustom ? null : $"{type.Group}/{type.Kind}")
        {
            case "/Pod" when subresource is null:
                errors.AddRange(PodUpdateRules.Validate(old, updated));
                break;
            case "apps/Deployment" or "apps/ReplicaSet":
                Immutable(old, updated, "spec.selector", "field is immutable", errors);
                break;
            case "/ConfigMap" or "/Secret":
                errors.AddRange(ConfigDataRules.ValidateUpdate(type.Kind, old, updated));
                break;
        }
        return errors;
    }

    internal static void Immutable(JsonObject old, JsonObject updated, string path, string detail, List<FieldError> errors)
    {
        var now = JsonTree.Get(updated, path);
        if (!JsonNode.DeepEquals(JsonTree.Get(old, path), now))
        {
            errors.Add(FieldError.Invalid(path, now?.ToJsonString() ?? "null", detail));
        }
    }

    private static void Workload(JsonObject obj, string kind, List<FieldError> errors)
    {
        if (JsonTree.GetLong(obj, "spec.replicas") is { } replicas and < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", replicas.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
        }
        var template = JsonTree.Get(obj, "spec.template") as JsonObject ?? [];
        if (JsonTree.Get(obj, "spec.selector") is not JsonObject selector)
        {
            errors.Add(FieldError.Required("spec.selector"));
        }
        else if ((selector["matchLabels"] as JsonObject ?? []).Count == 0 && (selector["matchExpressions"] as JsonArray ?? []).Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.selector", selector.ToJsonString(), $"empty selector is invalid for {kind.ToLowerInvariant()}"));
        }
        else if (OperatorsValid(selector, "spec.selector", errors) && !LabelSelector.Of(selector).Matches(JsonTree.Labels(template)))
        {
            var labels = JsonTree.Get(template, "metadata.labels")?.ToJsonString() ?? "{}";
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
        }
        // A Deployment's or ReplicaSet's pods are restarted by their controller, never left stopped.
        PodSpec(JsonTree.Get(obj, "spec.template.spec") as JsonObject, "spec.template.spec", onlyAlways: true, errors);
    }

    /// <summary>Reports each unknown operator; true when there is none, so the selector can be evaluated.</summary>
    private static bool OperatorsValid(JsonObject selector, string path, List<FieldError> errors)
    {
        var ok = true;
        var expressions = selector["matchExpressions"] as JsonArray ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var op = JsonTree.GetString(expressions[i], "operator") ?? "";
            if (op is not ("In" or "NotIn" or "Exists" or "DoesNotExist"))
            {
                errors.Add(FieldError.Invalid($"{path}.matchExpressions[{i}].operator", $"\"{op}\"", "not a valid selector operator"));
                ok = false;
            }
        }
        return ok;
    }

    private static void PodSpec(JsonObject? spec, string path, bool onlyAlways, List<FieldError> errors)
    {
        if (spec is null || (spec["containers"] as JsonArray ?? []).Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.containers"));
            return;
        }
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        var declared = spec["volumes"] as JsonArray ?? [];
        for (var i = 0; i < declared.Count; i++)
        {
            var name = JsonTree.GetString(declared[i], "name") ?? "";
            NameOf(name, $"{path}.volumes[{i}].name", volumes, errors);
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { "initContainers", "containers" })
        {
            var containers = spec[list] as JsonArray ?? [];
            for (var i = 0; i < containers.Count; i++)
            {
                Container(containers[i] as JsonObject ?? [], $"{path}.{list}[{i}]", names, volumes, errors);
            }
        }
        NodeSelector(spec["nodeSelector"] as JsonObject, $"{path}.nodeSelector", errors);
        TolerationRules.Validate(spec["tolerations"] as JsonArray, $"{path}.tolerations", errors);
        var restart = JsonTree.GetString(spec, "restartPolicy");
        if (onlyAlways && restart is not (null or "Always"))
        {
            errors.Add(FieldError.NotSupported($"{path}.restartPolicy", restart, "Always"));
        }
        else if (restart is not null && !RestartPolicies.Contains(restart))
        {
            errors.Add(FieldError.NotSupported($"{path}.restartPolicy", restart, RestartPolicies));
        }
    }

    private static void Container(JsonObject container, string path, HashSet<string> names, HashSet<string> volumes, List<FieldError> errors)
    {
        NameOf(JsonTree.GetString(container, "name") ?? "", $"{path}.name", names, errors);
        if (string.IsNullOrWhiteSpace(JsonTree.GetString(container, "image")))
        {
            errors.Add(FieldError.Required($"{path}.image"));
        }
        var ports = container["ports"] as JsonArray ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            Port(JsonTree.GetLong(ports[i], "containerPort"), $"{path}.ports[{i}].containerPort", errors);
            if (JsonTree.GetLong(ports[i], "hostPort") is { } hostPort and not 0)
            {
                Port(hostPort, $"{path}.ports[{i}].hostPort", errors);
            }
            Protocol(JsonTree.GetString(ports[i], "protocol"), $"{path}.ports[{i}].protocol", errors);
        }
        var env = container["env"] as JsonArray ?? [];
        for (var i = 0; i < env.Count; i++)
        {
            if (string.IsNullOrEmpty(JsonTree.GetString(env[i], "name")))
            {
                errors.Add(FieldError.Required($"{path}.env[{i}].name"));
            }
        }
        ResourceRequirementRules.Validate(container["resources"] as JsonObject, $"{path}.resources", errors);
        var mounts = container["volumeMounts"] as JsonArray ?? [];
        for (var i = 0; i < mounts.Count; i++)
        {
            var volume = JsonTree.GetString(mounts[i], "name") ?? "";
            if (!volumes.Contains(volume))
            {
                errors.Add(FieldError.NotFound($"{path}.volumeMounts[{i}].name", volume));
            }
            if (string.IsNullOrEmpty(JsonTree.GetString(mounts[i], "mountPath")))
            {
                errors.Add(FieldError.Required($"{path}.volumeMounts[{i}].mountPath"));
            }
        }
    }

    /// <summary>Like labels: qualified-name keys and label values, each error at the map's own path (the real server names no key).</summary>
    private static void NodeSelector(JsonObject? selector, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in selector ?? [])
        {
            if (NameRules.QualifiedNameProblem(key) is { } keyProblem)
            {
                errors.Add(FieldError.Invalid(path, $"\"{key}\"", keyProblem));
            }
            var text = JsonTree.ScalarText(value) ?? "";
            if (NameRules.LabelValueProblem(text) is { } valueProblem)
            {
                errors.Add(FieldError.Invalid(path, $"\"{text}\"", valueProblem));
            }
        }
    }

    private static void Service(JsonObject obj, List<FieldError> errors)
    {
        var type = JsonTree.GetString(obj, "spec.type") ?? "ClusterIP";
        if (!ServiceTypes.Contains(type))
        {
            errors.Add(FieldError.NotSupported("spec.type", type, ServiceTypes));
        }
        var ports = JsonTree.Get(obj, "spec.ports") as JsonArray ?? [];
        if (ports.Count == 0 && type != "ExternalName" && JsonTree.GetString(obj, "spec.clusterIP") != "None")
        {
            errors.Add(FieldError.Required("spec.ports"));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            var name = JsonTree.GetString(ports[i], "name") ?? "";
            if (ports.Count > 1 && name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }
            else if (name.Length > 0 && !names.Add(name))
            {
                errors.Add(FieldError.Duplicate($"{path}.name", $"\"{name}\""));
            }
            Port(JsonTree.GetLong(ports[i], "port"), $"{path}.port", errors);
            if (JsonTree.Get(ports[i], "targetPort") is JsonValue target && target.TryGetValue<long>(out var number))
            {
                Port(number, $"{path}.targetPort", errors);
            }
            Protocol(JsonTree.GetString(ports[i], "protocol"), $"{path}.protocol", errors);
        }
    }

    /// <summary>A required DNS-1123 label, unique among its siblings (container names, volume names).</summary>
    private static void NameOf(string name, string path, HashSet<string> seen, List<FieldError> errors)
    {
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path));
        }
        else if (!NameRules.IsDnsLabel(name))
        {
            errors.Add(FieldError.Invalid(path, $"\"{name}\"", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }
        else if (!seen.Add(name))
        {
            errors.Add(FieldError.Duplicate(path, $"\"{name}\""));
        }
    }

    private static void Port(long? port, string path, List<FieldError> errors)
    {
        if (port is null)
        {
            errors.Add(FieldError.Required(path));
        }
        else if (port is < 1 or > 65535)
        {
            errors.Add(FieldError.Invalid(path, port.Value.ToString(CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
        }
    }

    private static void Protocol(string? protocol, string path, List<FieldError> errors)
    {
        if (protocol is not null && !Protocols.Contains(protocol))
        {
            errors.Add(FieldError.NotSupported(path, protocol, Protocols));
        }
    }
}
