using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecOperator.Kube;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// Decodes JSON into a built-in type the way the real API server decodes a request body into its Go structs: a value
/// of the wrong JSON type (or an integer out of its range, a quantity, time or base64 text that does not parse) is an
/// error naming the field; a key the struct does not have is an unknown field and is dropped, because the typed object
/// cannot hold it; a quantity is rewritten in canonical form, a time in UTC at its type's precision. JSON null is the zero value, as in Go. Paths read
/// `spec.containers[0].image`, with map keys in brackets: `data[key]`.
/// </summary>
public sealed partial class TypedDecoder
{
    private const int MaxValueText = 64;

    // The path to the value being decoded, one entry per level: a field or map key, or a list index. Paths are only
    // written out for what is reported, so a clean object costs no strings (every write of a built-in kind runs this).
    private readonly List<(string? Key, int Index, bool Bracketed)> _path = [];
    private readonly DecodeReport _report = new();

    private TypedDecoder()
    {
    }

    /// <summary>Walks <paramref name="obj"/> as <paramref name="type"/>, in place: unknown fields removed, quantities and times canonical.</summary>
    public static DecodeReport Decode(JsonObject obj, TypedField type)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(type);
        var decoder = new TypedDecoder();
        decoder.Walk(obj, type);
        return decoder._report;
    }

    /// <summary>Returns the value to store instead of <paramref name="node"/> (a canonical quantity or time), or null to keep it.</summary>
    private JsonNode? Walk(JsonNode? node, TypedField type)
    {
        // JSON null decodes to the zero value, and raw JSON takes anything.
        if (node is null || type.Shape == FieldShape.Any)
        {
            return null;
        }
        switch (type.Shape)
        {
            case FieldShape.Quantity:
                return Canonical(node);
            case FieldShape.Time or FieldShape.MicroTime:
                return Normalized(node, type.Shape);
            case FieldShape.List:
                if (Expect(node is JsonArray, "a list", node))
                {
                    WalkList(node.AsArray(), type.Element!);
                }
                return null;
            case FieldShape.Map:
                if (Expect(node is JsonObject, "an object", node))
                {
                    WalkMap(node.AsObject(), type.Element!);
                }
                return null;
            case FieldShape.Struct:
                if (Expect(node is JsonObject, "an object", node))
                {
                    WalkStruct(node.AsObject(), type);
                }
                return null;
            default:
                CheckScalar(node, type);
                return null;
        }
    }

    private void CheckScalar(JsonNode node, TypedField type)
    {
        var kind = node.GetValueKind();
        var ok = type.Shape switch
        {
            FieldShape.String => kind == JsonValueKind.String,
            FieldShape.Integer => kind == JsonValueKind.Number && long.TryParse(Raw(node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                && n >= type.Minimum && n <= type.Maximum,
            FieldShape.Number => kind == JsonValueKind.Number,
            FieldShape.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            FieldShape.IntOrString => kind == JsonValueKind.String
                || (kind == JsonValueKind.Number && int.TryParse(Raw(node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)),
            FieldShape.Bytes => kind == JsonValueKind.String && IsBase64(node.GetValue<string>()),
            _ => throw new InvalidOperationException($"{type.Shape} is not a scalar"),
        };
        if (!ok)
        {
            Expect(false, type.Shape switch
            {
                FieldShape.String => "a string",
                FieldShape.Integer => $"an integer ({type.TypeName})",
                FieldShape.Number => "a number",
                FieldShape.Boolean => "a boolean",
                FieldShape.IntOrString => "an integer (int32) or a string",
                _ => "base64-encoded data",
            }, node);
        }
    }

    /// <summary>
    /// A quantity is stored as its Go type writes it back: a string in canonical form (1000m -> 1, 1.5 -> 1500m,
    /// 1024Mi -> 1Gi), so clients read what a real server returns. Its decoder also takes a bare number.
    /// </summary>
    private JsonValue? Canonical(JsonNode node)
    {
        var kind = node.GetValueKind();
        var text = kind == JsonValueKind.String ? node.GetValue<string>() : kind == JsonValueKind.Number ? Raw(node) : null;
        if (!Expect(ResourceQuantity.TryParse(text, out var quantity), "a quantity such as 500m, 2 or 1Gi", node))
        {
            return null;
        }
        var canonical = quantity.ToString();
        return kind != JsonValueKind.String || canonical != text ? JsonValue.Create(canonical) : null;
    }

    /// <summary>
    /// A time is stored as its Go type writes it back: in UTC, whole seconds for a Time (its fraction dropped) and six
    /// fractional digits for a MicroTime, so an offset or a fraction a client sends reads back as a real server returns it.
    /// </summary>
    private JsonValue? Normalized(JsonNode node, FieldShape shape)
    {
        var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : "";
        var time = DateTimeOffset.MinValue;
        if (!Expect(Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time),
            "an RFC 3339 date-time such as 2026-01-02T15:04:05Z", node))
        {
            return null;
        }
        var utc = time.UtcDateTime;
        var normal = shape == FieldShape.Time
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return normal != text ? JsonValue.Create(normal) : null;
    }

    private void WalkList(JsonArray list, TypedField items)
    {
        for (var i = 0; i < list.Count; i++)
        {
            _path.Add((null, i, true));
            if (Walk(list[i], items) is { } replacement)
            {
                list[i] = replacement;
            }
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private void WalkMap(JsonObject map, TypedField values)
    {
        List<(string, JsonNode)>? replacements = null;
        foreach (var (key, value) in map)
        {
            _path.Add((key, 0, true));
            if (Walk(value, values) is { } replacement)
            {
                (replacements ??= []).Add((key, replacement));
            }
            _path.RemoveAt(_path.Count - 1);
        }
        Replace(map, replacements);
    }

    private void WalkStruct(JsonObject obj, TypedField type)
    {
        List<string>? unknown = null;
        List<(string, JsonNode)>? replacements = null;
        foreach (var (key, value) in obj)
        {
            var known = type.Fields.TryGetValue(key, out var field);
            if (!known && type.KeepsOtherFields)
            {
                continue;
            }
            _path.Add((key, 0, false));
            if (!known)
            {
                // Reported in document order; removed after the walk over the object.
                _report.UnknownFields.Add(PathText());
                (unknown ??= []).Add(key);
            }
            else if (Walk(value, field!) is { } replacement)
            {
                (replacements ??= []).Add((key, replacement));
            }
            _path.RemoveAt(_path.Count - 1);
        }
        Replace(obj, replacements);
        foreach (var key in unknown ?? [])
        {
            obj.Remove(key);
        }
        foreach (var required in type.Required)
        {
            if (!obj.ContainsKey(required))
            {
                _path.Add((required, 0, false));
                _report.MissingFields.Add(PathText());
                _path.RemoveAt(_path.Count - 1);
            }
        }
    }

    /// <summary>Values are replaced after the walk over their object: changing it while enumerating is not allowed.</summary>
    private static void Replace(JsonObject obj, List<(string Key, JsonNode Value)>? replacements)
    {
        foreach (var (key, value) in replacements ?? [])
        {
            obj[key] = value;
        }
    }

    private bool Expect(bool ok, string expected, JsonNode node)
    {
        if (!ok)
        {
            var text = node.ToJsonString();
            text = text.Length > MaxValueText ? text[..MaxValueText] + "..." : text;
            _report.WrongTypes.Add($"{(_path.Count == 0 ? "the object" : PathText())} must be {expected}, not {text}");
        }
        return ok;
    }

    private string PathText()
    {
        var text = new StringBuilder();
        foreach (var (key, index, bracketed) in _path)
        {
            if (bracketed)
            {
                text.Append('[').Append(key ?? index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append(key);
            }
        }
        return text.ToString();
    }

    /// <summary>The number as it was written, so 1.0 and 1e3 are not mistaken for integers.</summary>
    private static string Raw(JsonNode node) => node.ToJsonString();

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = text.Length <= 1024 ? stackalloc byte[text.Length] : new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
