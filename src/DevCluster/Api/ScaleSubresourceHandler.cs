using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The `scale` subresource: an `autoscaling/v1` Scale view of an object whose replicas live at the
/// resource's spec and status replica paths (what `kubectl scale` and autoscalers use).
/// </summary>
public sealed class ScaleSubresourceHandler
{
    /// <summary>autoscaling/v1 Scale, the kind patches of the scale subresource apply to (its strategic merge metadata included).</summary>
    private static readonly ResourceType ScaleType = new("autoscaling", "v1", "Scale", "scale", Namespaced: true);
    private readonly ResourceService _service;

    public ScaleSubresourceHandler(ResourceService service) => _service = service;

    public async Task HandleAsync(HttpContext context, ResourceType type, string ns, string name, CancellationToken ct)
    {
        var scale = type.Scale!;
        switch (context.Request.Method)
        {
            case "GET":
                await HttpIo.WriteJsonAsync(context.Response, 200, ScaleOf(type, _service.Get(type, ns, name)), ct).ConfigureAwait(false);
                return;
            case "PUT" or "PATCH":
                var body = await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
                var isPut = context.Request.Method == "PUT";
                var contentType = PatchApplier.Normalize(context.Request.ContentType);
                var options = RequestOptions.WriteOptionsOf(context.Request);
                // Recorded in managedFields as the scale subresource's write (subresource: scale), as the real server records it.
                var updated = await _service.ChangeAsync(type, ns, name, "scale", options, current =>
                {
                    var obj = current.Parse();
                    var view = ScaleOf(type, obj);
                    var desired = isPut ? HttpIo.ParseObject(context.Request, body) : PatchScale(view, contentType, body);
                    if (JsonTree.GetString(desired, "metadata.resourceVersion") is { Length: > 0 } rv && rv != JsonTree.GetString(obj, "metadata.resourceVersion"))
                    {
                        throw ApiErrors.Modified(type, name);
                    }
                    Admission.CheckIdentity(ScaleType, ns, name, desired, options);
                    var replicas = Replicas(desired, type, name);
                    if (replicas < 0)
                    {
                        throw ApiErrors.Invalid(type, name, [FieldError.Invalid("spec.replicas", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0")]);
                    }
                    JsonTree.Set(obj, scale.SpecReplicasPath, replicas);
                    return obj;
                }, ct).ConfigureAwait(false);
                await HttpIo.WriteJsonAsync(context.Response, 200, ScaleOf(type, updated), ct).ConfigureAwait(false);
                return;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    /// <summary>spec.replicas, required; the decode (Admission.CheckIdentity) has already refused one that is not an int32.</summary>
    private static long Replicas(JsonObject scale, ResourceType type, string name) =>
        JsonTree.GetLong(scale, "spec.replicas") ?? throw ApiErrors.Invalid(type, name, [FieldError.Required("spec.replicas")]);

    /// <summary>
    /// Patches the Scale view in the format the Content-Type names. The body is parsed for that format only:
    /// a JSON patch is an array, which the object parsers of the other formats refuse.
    /// </summary>
    private static JsonObject PatchScale(JsonObject view, string contentType, byte[] body) => contentType switch
    {
        PatchApplier.JsonPatchType or PatchApplier.MergePatch or PatchApplier.StrategicPatch => PatchApplier.Apply(ScaleType, view, contentType, body),
        PatchApplier.ApplyPatch => (JsonObject)JsonMergePatch.Apply(view, HttpIo.ParseYamlOrJson(body))!,
        _ => throw ApiErrors.UnsupportedMediaType(contentType),
    };

    public static JsonObject ScaleOf(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale!;
        var status = new JsonObject { ["replicas"] = JsonTree.GetLong(obj, scale.StatusReplicasPath) ?? 0 };
        if (scale.LabelSelectorPath is { } selectorPath && JsonTree.GetString(obj, selectorPath) is { } selector)
        {
            status["selector"] = selector;
        }
        else if (JsonTree.Get(obj, "spec.selector.matchLabels") is JsonObject labels)
        {
            status["selector"] = string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"));
        }
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonTree.GetLong(obj, scale.SpecReplicasPath) ?? 0 },
            ["status"] = status,
        };
    }
}
