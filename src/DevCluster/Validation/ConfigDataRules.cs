using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The real server's rules for ConfigMaps and Secrets: keys that can become file names, at most 1 MiB of data, a
/// Secret's type fixed once created, and the data of an object marked `immutable` (and the mark) fixed too. Pure.
/// </summary>
public static partial class ConfigDataRules
{
    private const long MaxDataBytes = 1024 * 1024;

    /// <summary>The rules for a new or updated ConfigMap (<paramref name="kind"/> "ConfigMap") or Secret.</summary>
    public static IEnumerable<FieldError> Validate(string kind, JsonObject obj)
    {
        var errors = new List<FieldError>();
        if (kind == "ConfigMap")
        {
            Keys(obj, "data", "binaryData", errors);
            // The real server reports a ConfigMap's size at the whole object (an empty field path), a Secret's at data.
            DataSize(obj, ["data"], ["binaryData"], "", errors);
        }
        else
        {
            Keys(obj, "data", null, errors);
            DataSize(obj, [], ["data"], "data", errors);
        }
        return errors;
    }

    public static IEnumerable<FieldError> ValidateUpdate(string kind, JsonObject old, JsonObject updated)
    {
        var errors = new List<FieldError>();
        if (kind == "Secret")
        {
            // A Secret's type says what its keys hold (a token, a TLS pair); the real server never lets it change.
            BuiltInRules.Immutable(old, updated, "type", "field is immutable", errors);
        }
        if (JsonTree.Get(old, "immutable")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            Frozen(old, updated, kind == "ConfigMap" ? ["immutable", "data", "binaryData"] : ["immutable", "data"], errors);
        }
        return errors;
    }

    /// <summary>The fields of an object marked `immutable`: each change is Forbidden (the mark itself included).</summary>
    private static void Frozen(JsonObject old, JsonObject updated, string[] paths, List<FieldError> errors)
    {
        foreach (var path in paths.Where(p => !JsonNode.DeepEquals(JsonTree.Get(old, p), JsonTree.Get(updated, p))))
        {
            errors.Add(new FieldError(path, "FieldValueForbidden", "field is immutable when `immutable` is set"));
        }
    }

    /// <summary>
    /// A ConfigMap's or Secret's data is at most 1 MiB, the sum of its values' sizes: text as UTF-8 bytes, base64 as the
    /// bytes it decodes to (the limit keeps every object well within etcd's request size).
    /// </summary>
    private static void DataSize(JsonObject obj, string[] textFields, string[] base64Fields, string path, List<FieldError> errors)
    {
        long Sum(string field, Func<string, long> size) =>
            (obj[field] as JsonObject ?? []).Sum(p => size(JsonTree.ScalarText(p.Value) ?? ""));
        var total = textFields.Sum(f => Sum(f, t => System.Text.Encoding.UTF8.GetByteCount(t)))
            + base64Fields.Sum(f => Sum(f, DecodedLength));
        if (total > MaxDataBytes)
        {
            // The wording of field.TooLong that this project's annotation limit also uses; release 1.32 may word it
            // "may not be more than 1048576 bytes" (apimachinery merged TooLong and TooLongMaxLength in late 2024).
            errors.Add(new FieldError(path, "FieldValueTooLong", $"must have at most {MaxDataBytes} bytes"));
        }
    }

    /// <summary>The byte count of padded base64 text (the decode has checked it is base64), without decoding it.</summary>
    private static long DecodedLength(string base64)
    {
        var chars = base64.Count(c => !char.IsWhiteSpace(c));
        var padding = base64.TrimEnd().Reverse().TakeWhile(c => c == '=').Count();
        return Math.Max(0, (chars / 4 * 3) - padding);
    }

    /// <summary>ConfigMap and Secret keys: config keys, and a key in both data and binaryData is refused.</summary>
    private static void Keys(JsonObject obj, string field, string? other, List<FieldError> errors)
    {
        var keys = (obj[field] as JsonObject ?? []).Select(p => p.Key).ToList();
        var others = other is null ? [] : (obj[other] as JsonObject ?? []).Select(p => p.Key).ToList();
        foreach (var (key, path) in keys.Select(k => (k, $"{field}[{k}]")).Concat(others.Select(k => (k, $"{other}[{k}]"))))
        {
            if (ConfigKeyProblem(key) is { } problem)
            {
                errors.Add(FieldError.Invalid(path, $"\"{key}\"", problem));
            }
        }
        foreach (var key in others.Intersect(keys, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Invalid($"{other}[{key}]", $"\"{key}\"", $"duplicate of key present in {field}"));
        }
    }

    /// <summary>A key becomes a file name when the object is mounted: no '/', and never '.' or '..' or a '..' prefix.</summary>
    private static string? ConfigKeyProblem(string key) => key.Length > 253 ? "must be no more than 253 characters"
        : !ConfigKey().IsMatch(key) ? "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        : key == "." ? "must not be '.'"
        : key == ".." ? "must not be '..'"
        : key.StartsWith("..", StringComparison.Ordinal) ? "must not start with '..'"
        : null;

    [GeneratedRegex("^[-._a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigKey();
}
