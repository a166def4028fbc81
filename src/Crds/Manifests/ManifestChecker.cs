using System.Text.Json.Nodes;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Yaml;

namespace RecOperator.Crds.Manifests;

/// <summary>Validates the RecModel and NodePool documents of a (multi-document) YAML or JSON manifest.</summary>
public static class ManifestChecker
{
    public static IReadOnlyList<ManifestResult> Check(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlDocuments.Parse(text);
        }
        catch (FormatException e)
        {
            return [new ManifestResult(file, 0, "(unreadable)", [new FieldError("(yaml)", e.Message)])];
        }

        if (documents.Count == 0)
        {
            return [new ManifestResult(file, 0, "(empty)", [new FieldError("(file)", "has no YAML documents")])];
        }

        return documents.Select((document, i) => CheckDocument(file, i + 1, document)).ToList();
    }

    private static ManifestResult CheckDocument(string file, int index, JsonNode document)
    {
        if (document is not JsonObject obj)
        {
            return new ManifestResult(file, index, "(not an object)", [new FieldError("(document)", "must be a mapping with apiVersion, kind, metadata and spec")]);
        }

        return IsRecOperatorResource(obj)
            ? new ManifestResult(file, index, Describe(obj), ResourceValidator.Validate(obj))
            : new ManifestResult(file, index, Describe(obj), [], Skipped: true);
    }

    /// <summary>
    /// Whether the document is one of ours to check: a RecModel or NodePool kind (whatever apiVersion it claims, so a
    /// wrong one is reported), or anything of this API group (an unknown kind is reported). Manifests keep other objects
    /// beside them (the Namespace, a credentials Secret); those are for the API server to judge, not this command.
    /// </summary>
    private static bool IsRecOperatorResource(JsonObject obj)
    {
        var kind = (obj["kind"] as JsonValue)?.ToString();
        var apiVersion = (obj["apiVersion"] as JsonValue)?.ToString() ?? "";
        return kind is RecModel.KindName or NodePool.KindName || kind is null || apiVersion.StartsWith(ApiGroup.Name + "/", StringComparison.Ordinal);
    }

    private static string Describe(JsonObject obj)
    {
        var kind = (obj["kind"] as JsonValue)?.ToString() ?? "(no kind)";
        var name = (obj["metadata"]?["name"] as JsonValue)?.ToString() ?? "(no name)";
        var ns = (obj["metadata"]?["namespace"] as JsonValue)?.ToString();
        return ns is null ? $"{kind} {name}" : $"{kind} {ns}/{name}";
    }
}
