using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// Which lists are associative (`x-kubernetes-list-type: map`) and by which keys, from the CRD schema or,
/// for built-ins, from the official OpenAPI document. Server-side apply owns such lists per element.
/// </summary>
public sealed class ListMapKeys
{
    private readonly Func<IReadOnlyList<string>, IReadOnlyList<string>?> _lookup;

    private readonly Func<IReadOnlyList<string>, string, JsonNode?> _keyDefault;

    private ListMapKeys(Func<IReadOnlyList<string>, IReadOnlyList<string>?> lookup, Func<IReadOnlyList<string>, string, JsonNode?> keyDefault)
    {
        _lookup = lookup;
        _keyDefault = keyDefault;
    }

    public static ListMapKeys None { get; } = new(_ => null, (_, _) => null);

    public static ListMapKeys For(ResourceType type)
    {
        if (type.Schema is { } schema)
        {
            return new ListMapKeys(path => FromCrd(schema, path), (path, key) => KeyDefaultFromCrd(schema, path, key));
        }
        return BuiltInSchemas.Instance.DefinitionFor(type.Group, type.Version, type.Kind) is { } definition
            ? new ListMapKeys(path => FromBuiltIn(definition, path), (_, key) => BuiltInKeyDefault(key))
            : None;
    }

    /// <summary>The map keys of the list reached by these field names (list elements are stepped into implicitly).</summary>
    public IReadOnlyList<string>? At(IReadOnlyList<string> fieldPath) => _lookup(fieldPath);

    /// <summary>
    /// The value a key field of that list's elements takes when an element leaves it out (a ContainerPort's protocol is
    /// TCP), or null when it has none. Server-side apply keys an element by it all the same, as the real field manager
    /// does with the schema's default, so `ports: [{containerPort: 80}]` names the stored port 80/TCP.
    /// </summary>
    public JsonNode? KeyDefault(IReadOnlyList<string> fieldPath, string key) => _keyDefault(fieldPath, key);

    /// <summary>
    /// The official v2 document states no defaults; the one key field the built-in kinds default is a port's protocol
    /// (containers' ports, Service ports, Endpoints ports).
    /// </summary>
    private static JsonNode? BuiltInKeyDefault(string key) => key == "protocol" ? JsonValue.Create("TCP") : null;

    private static JsonNode? KeyDefaultFromCrd(JsonObject schema, IReadOnlyList<string> path, string key) =>
        JsonTree.Get(CrdNode(schema, path)?["items"], "properties")?[key]?["default"]?.DeepClone();

    /// <summary>The schema of the field these names reach in a CRD's schema (list items stepped into implicitly).</summary>
    private static JsonNode? CrdNode(JsonObject schema, IReadOnlyList<string> path)
    {
        JsonNode? node = schema;
        foreach (var name in path)
        {
            if (JsonTree.GetString(node, "type") == "array")
            {
                node = node!["items"];
            }
            node = JsonTree.Get(node, "properties")?[name] ?? (node as JsonObject)?["additionalProperties"] as JsonObject;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static IReadOnlyList<string>? FromCrd(JsonObject schema, IReadOnlyList<string> path)
    {
        var node = CrdNode(schema, path);
        return JsonTree.GetString(node, "x-kubernetes-list-type") == "map" && node!["x-kubernetes-list-map-keys"] is JsonArray keys
            ? keys.Select(k => k!.GetValue<string>()).ToList()
            : null;
    }

    private static IReadOnlyList<string>? FromBuiltIn(JsonElement definition, IReadOnlyList<string> path)
    {
        var schemas = BuiltInSchemas.Instance;
        var node = definition;
        foreach (var name in path)
        {
            node = schemas.Resolve(node);
            if (node.TryGetProperty("items", out var items))
            {
                node = schemas.Resolve(items);
            }
            if (node.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property))
            {
                node = property;
            }
            else if (node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            {
                node = additional;
            }
            else
            {
                return null;
            }
        }
        return node.TryGetProperty("x-kubernetes-list-type", out var listType) && listType.GetString() == "map"
            && node.TryGetProperty("x-kubernetes-list-map-keys", out var keys)
            ? keys.EnumerateArray().Select(k => k.GetString() ?? "").ToList()
            : null;
    }
}
