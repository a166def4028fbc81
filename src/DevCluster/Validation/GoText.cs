using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// Values written the way the real server's Go code prints them in error messages, so causes read the same here: a
/// field error's bad value (`field.Error`: strings quoted, numbers and booleans bare, anything else as `%#v`),
/// unstructured values as `%#v` (`map[string]interface {}{"name":"a"}`) and float64 as `%v` (`1e+06`). Pure.
/// </summary>
public static class GoText
{
    /// <summary>A decoded JSON value as `field.Error` prints its BadValue (int64, float64, string, bool, nil, map, slice).</summary>
    public static string BadValue(JsonNode? node) => node is null ? "null" : Syntax(node);

    /// <summary>`%#v` of a value decoded from JSON into `interface{}` (maps print with their keys sorted, as Go's fmt does).</summary>
    public static string Syntax(JsonNode? node) => node switch
    {
        null => "interface {}(nil)",
        JsonObject obj => "map[string]interface {}{"
            + string.Join(", ", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Quote(p.Key)}:{Syntax(p.Value)}")) + "}",
        JsonArray array => "[]interface {}{" + string.Join(", ", array.Select(Syntax)) + "}",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => Quote(v.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => IntegerOf(v) is { } integer ? integer.ToString(CultureInfo.InvariantCulture) : Float(JsonTree.Number(v)),
            _ => "interface {}(nil)",
        },
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// The int64 a JSON number decodes to on the real server (its decoder keeps a number without fraction or exponent
    /// that fits in int64 as int64, and makes anything else a float64); null for a float64.
    /// </summary>
    public static long? IntegerOf(JsonValue value)
    {
        var text = value.ToJsonString();
        return value.GetValueKind() == JsonValueKind.Number && text.IndexOfAny(['.', 'e', 'E']) < 0
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>
    /// Go's `%v` of a float64: the shortest digits that read back the same, in exponent form when the exponent is
    /// below -4 or at least 6 (1000000 → `1e+06`, 0.5 → `0.5`, 123456.7 → `123456.7`).
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }
        var sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0)
        {
            return sign + "0";
        }
        // "E16" would pad; "R" gives the shortest round-trip digits, in either notation, which are normalised here.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var allDigits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        // The value is 0.DIGITS x 10^decimalPoint.
        var decimalPoint = (point < 0 ? mantissa.Length : point) - leadingZeros + exponent;
        var goExponent = decimalPoint - 1;
        if (goExponent < -4 || goExponent >= 6)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(goExponent < 0 ? '-' : '+')}{Math.Abs(goExponent):00}";
        }
        if (decimalPoint <= 0)
        {
            return $"{sign}0.{new string('0', -decimalPoint)}{digits}";
        }
        return decimalPoint >= digits.Length
            ? sign + digits + new string('0', decimalPoint - digits.Length)
            : $"{sign}{digits[..decimalPoint]}.{digits[decimalPoint..]}";
    }

    /// <summary>`%q` of a []string: each element quoted, space-separated, in brackets (`["a" "b"]`).</summary>
    public static string QuotedList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(Quote)) + "]";

    /// <summary>Go's strconv.Quote: double quotes, backslash escapes for quotes, backslashes and control characters.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            quoted.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < 0x20 or 0x7f => $"\\x{rune.Value:x2}",
                _ when Rune.IsControl(rune) => rune.Value <= 0xFFFF ? $"\\u{rune.Value:x4}" : $"\\U{rune.Value:x8}",
                _ => rune.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
