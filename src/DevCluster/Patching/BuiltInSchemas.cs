using System.Text.Json;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// The official Kubernetes OpenAPI v2 document (../shared/k8s/swagger.json, embedded at build time, so it
/// cannot drift from the shared copy). It is served as /openapi/v2 and its x-kubernetes-patch-* extensions
/// drive strategic merge patch for the built-in kinds.
/// </summary>
public sealed class BuiltInSchemas
{
    private static readonly Lazy<BuiltInSchemas> Shared = new(Load);
    private readonly Dictionary<string, string> _definitionByGvk;

    private BuiltInSchemas(byte[] raw, JsonDocument document)
    {
        Raw = raw;
        Document = document;
        Definitions = document.RootElement.GetProperty("definitions");
        _definitionByGvk = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in Definitions.EnumerateObject())
        {
            if (definition.Value.TryGetProperty("x-kubernetes-group-version-kind", out var gvks))
            {
                foreach (var gvk in gvks.EnumerateArray())
                {
                    var key = GvkKey(gvk.GetProperty("group").GetString() ?? "", gvk.GetProperty("version").GetString() ?? "", gvk.GetProperty("kind").GetString() ?? "");
                    _definitionByGvk.TryAdd(key, definition.Name);
                }
            }
        }
    }

    public static BuiltInSchemas Instance => Shared.Value;

    public byte[] Raw { get; }
    public JsonDocument Document { get; }
    public JsonElement Definitions { get; }

    public JsonElement? DefinitionFor(string group, string version, string kind) =>
        DefinitionNameFor(group, version, kind) is { } name ? Definitions.GetProperty(name) : null;

    /// <summary>The name of a kind's definition, such as io.k8s.api.apps.v1.Deployment; null for kinds it does not hold.</summary>
    public string? DefinitionNameFor(string group, string version, string kind) =>
        _definitionByGvk.GetValueOrDefault(GvkKey(group, version, kind));

    /// <summary>Follows a `$ref` (and `allOf` with a single ref) to the referenced definition.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Replace("#/definitions/", "", StringComparison.Ordinal);
            return Definitions.TryGetProperty(name, out var target) ? target : schema;
        }
        if (schema.TryGetProperty("allOf", out var allOf) && allOf.GetArrayLength() == 1)
        {
            return Resolve(allOf[0]);
        }
        return schema;
    }

    private static string GvkKey(string group, string version, string kind) => $"{group}/{version}/{kind}";

    private static BuiltInSchemas Load()
    {
        using var stream = typeof(BuiltInSchemas).Assembly.GetManifestResourceStream("RecOperator.DevCluster.swagger.json")
            ?? throw new InvalidOperationException("the embedded swagger.json resource is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var raw = buffer.ToArray();
        return new BuiltInSchemas(raw, JsonDocument.Parse(raw));
    }
}
