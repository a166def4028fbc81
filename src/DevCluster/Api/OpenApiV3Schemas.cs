using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The built-in definitions of the official OpenAPI v2 document, as the components of an OpenAPI v3 document: a kind's
/// definition and every one it refers to, with `$ref`s pointing at `#/components/schemas/`. `kubectl explain` reads a
/// kind's fields (and their descriptions) from these. The document never changes while the process runs, so each
/// closure is built once.
/// </summary>
internal static class OpenApiV3Schemas
{
    public const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private const string V2Prefix = "#/definitions/";
    private const string V3Prefix = "#/components/schemas/";
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, JsonNode>> Closures = new(StringComparer.Ordinal);

    /// <summary>The named definition and all it refers to, converted; empty when the document has no such definition.</summary>
    public static IReadOnlyDictionary<string, JsonNode> Closure(string definition) => Closures.GetOrAdd(definition, Build);

    /// <summary>A `$ref` to a converted definition, as a v3 property refers to one.</summary>
    public static JsonObject Reference(string definition, string description) => new()
    {
        ["description"] = description,
        ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = V3Prefix + definition }),
    };

    private static IReadOnlyDictionary<string, JsonNode> Build(string root)
    {
        var definitions = BuiltInSchemas.Instance.Definitions;
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var name))
        {
            if (result.ContainsKey(name) || !definitions.TryGetProperty(name, out var definition))
            {
                continue;
            }
            var converted = JsonNode.Parse(definition.GetRawText())!;
            foreach (var reference in Rewrite(converted))
            {
                pending.Push(reference);
            }
            result[name] = converted;
        }
        return result;
    }

    /// <summary>Points every `$ref` under <paramref name="node"/> at the v3 components; returns the definitions named.</summary>
    private static List<string> Rewrite(JsonNode node)
    {
        var named = new List<string>();
        var stack = new Stack<JsonNode>([node]);
        while (stack.TryPop(out var current))
        {
            if (current is JsonObject obj)
            {
                if (obj["$ref"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                    && value.GetValue<string>() is { } target && target.StartsWith(V2Prefix, StringComparison.Ordinal))
                {
                    var name = target[V2Prefix.Length..];
                    obj["$ref"] = V3Prefix + name;
                    named.Add(name);
                }
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        stack.Push(child);
                    }
                }
            }
            else if (current is JsonArray array)
            {
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        stack.Push(child);
                    }
                }
            }
        }
        return named;
    }
}
