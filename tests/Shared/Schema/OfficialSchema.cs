using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation;

namespace RecOperator.Tests.Shared;

/// <summary>
/// Checks objects against the official Kubernetes OpenAPI v2 document (../shared/k8s/swagger.json, compiled into
/// DevCluster's <see cref="TypedSchemas"/>): wrong types, unknown fields and missing required fields, each with its field
/// path. Stricter than the API server, which drops unknown fields (with a warning) and does not need the required
/// ones to decode: every object the operator sends must be exactly what the document describes.
/// </summary>
internal sealed class OfficialSchema
{
    private static readonly OfficialSchema Instance = new();

    public static OfficialSchema Load() => Instance;

    /// <summary>Every violation in an object, found by its apiVersion and kind; the object itself is left as it is.</summary>
    public IReadOnlyList<string> Validate(JsonNode obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? "";
        var kind = (string?)obj["kind"] ?? "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var type = TypedSchemas.Instance.ForKind(slash < 0 ? "" : apiVersion[..slash], apiVersion[(slash + 1)..], kind);
        if (type is null)
        {
            return [$"no definition for {apiVersion}/{kind}"];
        }

        var report = TypedDecoder.Decode(obj.DeepClone().AsObject(), type);
        return [.. report.WrongTypes, .. report.UnknownFields.Select(f => $"{f}: unknown field"), .. report.MissingFields.Select(f => $"{f}: required field is missing")];
    }
}
