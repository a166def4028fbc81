using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A pod's `binding` subresource: POST of a v1 Binding assigns the pod to the node it names, the one way to set
/// spec.nodeName once a pod exists (an update may not change it). As on the real server the pod must not be bound
/// already, nor be terminating or gated (409 on pods/binding); the binding's annotations are added to the pod's, its
/// uid and resourceVersion are preconditions, PodScheduled turns True in the same write, and the answer is a
/// Success Status (201).
/// </summary>
public sealed class PodBindingHandler
{
    /// <summary>v1 Binding, decoded against the official schema; its plural names the resource in errors as the real server does.</summary>
    private static readonly ResourceType BindingType = new("", "v1", "Binding", "pods/binding", Namespaced: true);
    private static readonly string[] TargetKinds = ["Node", "<empty>"];
    private readonly ResourceService _service;
    private readonly TimeProvider _time;

    public PodBindingHandler(ResourceService service, TimeProvider time) => (_service, _time) = (service, time);

    public static bool Serves(ResourceType type) => type is { Group: "", Kind: "Pod", IsCustom: false };

    public async Task HandleAsync(HttpContext context, ResourceType pods, string ns, string name, CancellationToken ct)
    {
        var (binding, options) = await SubresourcePost.ReadAsync(context, BindingType, ns, name, nameMayBeOmitted: true, ct).ConfigureAwait(false);
        var node = JsonTree.GetString(binding, "target.name") ?? "";
        var errors = new List<FieldError>();
        if (JsonTree.GetString(binding, "target.kind") is { Length: > 0 } kind && kind != "Node")
        {
            errors.Add(FieldError.NotSupported("target.kind", kind, TargetKinds));
        }
        if (node.Length == 0)
        {
            errors.Add(FieldError.Required("target.name", ""));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(BindingType, name, errors);
        }
        await _service.ChangeAsync(pods, ns, name, "binding", options, current => Bind(pods, name, current.Parse(), binding, node), ct).ConfigureAwait(false);
        await SubresourcePost.WriteSuccessAsync(context.Response, ct).ConfigureAwait(false);
    }

    private JsonObject Bind(ResourceType pods, string name, JsonObject pod, JsonObject binding, string node)
    {
        ObjectRules.CheckPreconditions(pods, name, pod, JsonTree.GetString(binding, "metadata.uid"), JsonTree.GetString(binding, "metadata.resourceVersion"));
        if (JsonTree.Get(pod, "metadata.deletionTimestamp") is not null)
        {
            throw ApiErrors.Conflict(BindingType, name, $"pod {name} is being deleted, cannot be assigned to a host");
        }
        if (JsonTree.GetString(pod, "spec.nodeName") is { Length: > 0 } assigned)
        {
            throw ApiErrors.Conflict(BindingType, name, $"pod {name} is already assigned to node \"{assigned}\"");
        }
        if ((JsonTree.Get(pod, "spec.schedulingGates") as JsonArray ?? []).Count > 0)
        {
            throw ApiErrors.Conflict(BindingType, name, $"pod {name} has non-empty .spec.schedulingGates");
        }
        JsonTree.Set(pod, "spec.nodeName", node);
        if (JsonTree.Get(binding, "metadata.annotations") is JsonObject annotations && annotations.Count > 0)
        {
            var podAnnotations = Child(pod, "metadata.annotations", () => new JsonObject());
            foreach (var (key, value) in annotations)
            {
                podAnnotations[key] = value?.DeepClone();
            }
        }
        Scheduled(pod);
        return pod;
    }

    /// <summary>PodScheduled=True, its transition time moved only when it was not True already.</summary>
    private void Scheduled(JsonObject pod)
    {
        var conditions = Child(pod, "status.conditions", () => new JsonArray());
        var previous = conditions.OfType<JsonObject>().FirstOrDefault(c => JsonTree.GetString(c, "type") == "PodScheduled");
        if (previous is not null && JsonTree.GetString(previous, "status") == "True")
        {
            return;
        }
        var scheduled = new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = ObjectRules.Timestamp(_time.GetUtcNow()) };
        if (previous is not null)
        {
            conditions[conditions.IndexOf(previous)] = scheduled;
        }
        else
        {
            conditions.Add(scheduled);
        }
    }

    /// <summary>The object or array at a path, created there when absent.</summary>
    private static T Child<T>(JsonObject root, string path, Func<T> create)
        where T : JsonNode
    {
        if (JsonTree.Get(root, path) is T existing)
        {
            return existing;
        }
        var created = create();
        JsonTree.Set(root, path, created);
        return created;
    }
}
