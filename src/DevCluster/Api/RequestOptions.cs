using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The options of a write (CreateOptions, UpdateOptions, PatchOptions from the query) and of a delete (DeleteOptions
/// from the body and the query), checked the way the real server checks them before it touches the object: a value
/// of the wrong JSON type is 400 naming the field; a value that is not allowed is 422 `{Kind}.meta.k8s.io "" is invalid`
/// with one cause per field. Above all, `dryRun` other than `All` is refused, never taken as a real write.
/// </summary>
public static class RequestOptions
{
    private const int MaxFieldManagerLength = 128;

    public static WriteOptions WriteOptionsOf(HttpRequest request)
    {
        var query = request.Query;
        var isApply = PatchApplier.Normalize(request.ContentType) == PatchApplier.ApplyPatch;
        var kind = request.Method switch { "POST" => "CreateOptions", "PUT" => "UpdateOptions", _ => "PatchOptions" };
        var errors = DryRunErrors(query["dryRun"]);
        var fieldManager = query["fieldManager"].FirstOrDefault();
        if (fieldManager is { Length: > MaxFieldManagerLength })
        {
            errors.Add(FieldError.Invalid("fieldManager", $"\"{fieldManager}\"", $"must be at most {MaxFieldManagerLength} characters"));
        }
        if (isApply && string.IsNullOrEmpty(fieldManager))
        {
            errors.Add(FieldError.Required("fieldManager", "is required for apply patch"));
        }
        var force = query["force"].FirstOrDefault();
        if (force is not null && kind == "PatchOptions" && !isApply)
        {
            errors.Add(new FieldError("force", "FieldValueForbidden", "may not be specified for non-apply patch"));
        }
        var fieldValidation = query["fieldValidation"].FirstOrDefault();
        if (fieldValidation is not (null or "" or "Ignore" or "Warn" or "Strict"))
        {
            errors.Add(FieldError.NotSupported("fieldValidation", fieldValidation, "Ignore", "Warn", "Strict"));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.InvalidOptions(kind, errors);
        }
        return new WriteOptions(
            DryRun: query["dryRun"].Count > 0,
            FieldManager: fieldManager ?? DefaultManager(request, isApply),
            Force: force == "true",
            FieldValidation: fieldValidation)
        {
            Warnings = new ResponseWarnings(request.HttpContext.Response),
        };
    }

    public static async Task<DeleteOptions> DeleteOptionsOf(HttpRequest request, CancellationToken ct)
    {
        var body = await HttpIo.ReadBodyAsync(request, ct).ConfigureAwait(false);
        var json = body.Length > 0 ? HttpIo.ParseObject(body) : new JsonObject();
        return DeleteOptionsOf(json, request.Query);
    }

    /// <summary>
    /// DeleteOptions from a DELETE's body and query, or (with an empty query) from the deleteOptions an Eviction
    /// carries, which the real server checks the same way when it deletes the pod.
    /// </summary>
    public static DeleteOptions DeleteOptionsOf(JsonObject json, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(query);
        var propagation = String(json, "propagationPolicy") ?? query["propagationPolicy"].FirstOrDefault();
        var orphanSent = json["orphanDependents"] is not null || query["orphanDependents"].Count > 0;
        var orphan = Bool(json, "orphanDependents") ?? query["orphanDependents"] == "true";
        var bodyDryRun = json["dryRun"] switch
        {
            null => [],
            JsonArray list => list.Select(d => d is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw TypeError("dryRun", "a list of strings", json["dryRun"]!)).ToArray(),
            var other => throw TypeError("dryRun", "a list of strings", other),
        };
        var dryRun = query["dryRun"].Concat(bodyDryRun).ToArray();
        var grace = Long(json, "gracePeriodSeconds");
        if (grace is null && query["gracePeriodSeconds"].FirstOrDefault() is { } graceText)
        {
            grace = long.TryParse(graceText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g
                : throw ApiErrors.BadRequest($"gracePeriodSeconds: \"{graceText}\" is not an integer");
        }
        if (json["preconditions"] is { } preconditions and not JsonObject)
        {
            throw TypeError("preconditions", "an object", preconditions);
        }
        var errors = DryRunErrors(dryRun);
        if (orphanSent && propagation is not null)
        {
            errors.Add(FieldError.Invalid("propagationPolicy", $"\"{propagation}\"", "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (propagation is not (null or "Background" or "Foreground" or "Orphan"))
        {
            errors.Add(FieldError.NotSupported("propagationPolicy", propagation, "Foreground", "Background", "Orphan", "nil"));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.InvalidOptions("DeleteOptions", errors);
        }
        return new DeleteOptions(propagation ?? (orphan ? "Orphan" : "Background"), String(json, "preconditions.uid"), String(json, "preconditions.resourceVersion"),
            dryRun.Length > 0, grace, OrphanDependentsFalse: orphanSent && !orphan);
    }

    /// <summary>`dryRun` is a list whose only allowed value is `All`; `dryRun=true` is an error, not a real write.</summary>
    private static List<FieldError> DryRunErrors(IEnumerable<string?> values) =>
        values.Select((value, i) => (value, i)).Where(d => d.value != "All")
            .Select(d => FieldError.NotSupported($"dryRun[{d.i}]", d.value ?? "", "All")).ToList();

    /// <summary>
    /// Like the real server, a non-apply write without fieldManager is attributed to the client's
    /// User-Agent program name; apply has no default and must name its manager.
    /// </summary>
    private static string? DefaultManager(HttpRequest request, bool isApply) =>
        isApply ? null : request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent : "unknown";

    private static string? String(JsonObject json, string path) => JsonTree.Get(json, path) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => throw TypeError(path, "a string", other),
    };

    private static bool? Bool(JsonObject json, string path) => JsonTree.Get(json, path) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw TypeError(path, "a boolean", other),
    };

    private static long? Long(JsonObject json, string path) => JsonTree.Get(json, path) switch
    {
        null => null,
        var node when JsonTree.GetLong(json, path) is { } n => n,
        var other => throw TypeError(path, "an integer", other),
    };

    private static ApiException TypeError(string field, string expected, JsonNode value) =>
        ApiErrors.BadRequest($"DeleteOptions {field}: must be {expected}, not {value.ToJsonString()}");
}
