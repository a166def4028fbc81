using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecOperator.Kube.Yaml;

/// <summary>
/// Reads (multi-document) YAML into JSON nodes, resolving plain scalars by the YAML 1.2 core schema as Kubernetes
/// does: <c>true</c>, <c>3</c>, <c>0.5</c>, <c>null</c> become JSON booleans, numbers and null; quoted scalars stay strings.
/// </summary>
public static class YamlDocuments
{
    /// <summary>Every non-empty document of the text, in order.</summary>
    /// <exception cref="FormatException">The text is not YAML, or a mapping repeats a key; the message names the line and column.</exception>
    public static IReadOnlyList<JsonNode> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }

        return stream.Documents
            .Select(d => ToJson(d.RootNode))
            .Where(n => n is not null)
            .Select(n => n!)
            .ToList();
    }

    /// <summary>One YAML node as JSON, scalars resolved as in <see cref="Parse"/>.</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new FormatException($"line {node.Start.Line}: unsupported YAML node"),
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text }
                ? text
                : throw new FormatException($"line {key.Start.Line}, column {key.Start.Column}: mapping keys must be plain strings");
            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    // YAML 1.2 floats: digits with a '.' or an exponent; "1.2.3" or "v1" stay strings. (.inf and .nan have no JSON form.)
    private static bool LooksLikeFloat(string text) =>
        text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') &&
        text.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+') && text.Any(char.IsAsciiDigit);
}
