using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecOperator.Kube.Yaml;

/// <summary>
/// Writes JSON as block-style YAML, deterministically (property order kept), quoting a string only when YAML would
/// read it as something else. Used for generated manifests, which are committed and compared byte for byte.
/// </summary>
public static partial class YamlWriter
{
    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        WriteValue(builder, node, indent: 0, inSequence: false);
        return builder.ToString();
    }

    /// <summary>Several documents separated by <c>---</c>.</summary>
    public static string WriteDocuments(IEnumerable<JsonNode?> documents) =>
        string.Join("---\n", documents.Select(Write));

    private static void WriteValue(StringBuilder builder, JsonNode? node, int indent, bool inSequence)
    {
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    // The first key of a mapping inside a sequence item shares the line of its "- ".
                    if (!(first && inSequence))
                    {
                        builder.Append(' ', indent);
                    }

                    first = false;
                    builder.Append(Scalar(key)).Append(':');
                    WriteChild(builder, value, indent);
                }

                break;
            case JsonArray { Count: > 0 } array:
                var firstItem = true;
                foreach (var item in array)
                {
                    if (!(firstItem && inSequence))
                    {
                        builder.Append(' ', indent);
                    }

                    firstItem = false;
                    builder.Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        WriteValue(builder, item, indent + 2, inSequence: true);
                    }
                    else
                    {
                        builder.Append(Inline(item)).Append('\n');
                    }
                }

                break;
            default:
                builder.Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder builder, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                builder.Append('\n');
                WriteValue(builder, value, indent + 2, inSequence: false);
                break;
            case JsonArray { Count: > 0 }:
                builder.Append('\n');
                WriteValue(builder, value, indent, inSequence: false);
                break;
            default:
                builder.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Scalar(value.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    // A string goes plain only when a YAML reader gets the same string back; otherwise a JSON string literal,
    // which is a valid YAML double-quoted scalar.
    private static string Scalar(string text) =>
        PlainSafe().IsMatch(text) && !Reserved.Contains(text) && !NumberLike().IsMatch(text)
            ? text
            : JsonSerializer.Serialize(text, QuotingOptions);

    // Relaxed escaping keeps '<', '>', '&' and non-ASCII readable; the result is still a valid YAML double-quoted scalar.
    private static readonly JsonSerializerOptions QuotingOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = YamlJsonContext.Default,
    };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    };

    [GeneratedRegex("^[A-Za-z_/$][A-Za-z0-9_./()$=<>!*'\\-]*( [A-Za-z0-9_./()$=<>!*'\\-]+)*$")]
    private static partial Regex PlainSafe();

    [GeneratedRegex("^[-+.]?[0-9]")]
    private static partial Regex NumberLike();
}
