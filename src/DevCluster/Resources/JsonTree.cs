using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>Dotted-path access to unstructured objects (the store keeps every object as a JsonObject).</summary>
public static class JsonTree
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static JsonNode? Get(JsonNode? node, string dottedPath)
    {
        foreach (var part in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }
        return node;
    }

    public static string? GetString(JsonNode? node, string dottedPath) =>
        Get(node, dottedPath) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? GetLong(JsonNode? node, string dottedPath) =>
        Get(node, dottedPath) is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Any JSON number as a double, whether parsed from text or created from a CLR int or long.</summary>
    public static double Number(JsonNode node) =>
        double.Parse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sets a value, creating intermediate objects (like `unstructured.SetNestedField`).</summary>
    public static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        var parts = dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }
            current = next;
        }
        current[parts[^1]] = value;
    }

    public static void Remove(JsonObject root, string dottedPath)
    {
        var parts = dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (Get(root, string.Join('.', parts[..^1])) is JsonObject parent)
        {
            parent.Remove(parts[^1]);
        }
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }
        return meta;
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("expected a JSON object");

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(obj, "metadata.labels") is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result[key] = s;
                }
            }
        }
        return result;
    }

    /// <summary>Scalar text the way field selectors and printer cells see it.</summary>
    public static string? ScalarText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
