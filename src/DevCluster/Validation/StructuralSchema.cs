using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// Applies a CRD's structural OpenAPI v3 schema to an object the way the real server does, in its order:
/// prune unknown fields, apply defaults, then validate (type, required, enum, minimum/maximum with their exclusive forms, lengths,
/// pattern, item counts, nullable, list-type set/map uniqueness and x-kubernetes-validations CEL rules). Errors carry the field path, e.g. `spec.variants[0].name`.
/// </summary>
public static class StructuralSchema
{
    private static readonly string[] MetadataRoots = ["apiVersion", "kind", "metadata"];

    /// <summary>Prunes, defaults and validates <paramref name="obj"/> in place; the paths it pruned go to <paramref name="pruned"/>.</summary>
    public static IReadOnlyList<FieldError> Apply(JsonObject obj, JsonObject schema, List<string>? pruned = null)
    {
        var errors = new List<FieldError>();
        Walk(obj, schema, "", errors, pruned, isRoot: true);
        return errors;
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, List<FieldError> errors, List<string>? pruned, bool isRoot = false)
    {
        if (node is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"must be {TypeOf(schema)}", "null"));
            }
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        if (intOrString)
        {
            if (!IsKind(node, JsonValueKind.String) && !IsInteger(node))
            {
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", "must be an integer or a string", Text(node)));
            }
        }
        else if (type is not null && !TypeMatches(node, type))
        {
            errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"must be of type {type}", Text(node)));
            return;
        }
        CheckScalar(node, schema, path, errors);
        if (node is JsonObject obj)
        {
            WalkObject(obj, schema, path, errors, pruned, isRoot);
        }
        else if (node is JsonArray array)
        {
            WalkArray(array, schema, path, errors, pruned);
        }
        Cel.CelRules.Check(node, schema, path, errors);
    }

    private static void WalkObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, List<string>? pruned, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            if (isRoot && MetadataRoots.Contains(name))
            {
                continue;
            }
            if (properties?[name] is JsonObject propertySchema)
            {
                Walk(obj[name], propertySchema, Join(path, name), errors, pruned);
            }
            else if (additional is not null)
            {
                Walk(obj[name], additional, Join(path, name), errors, pruned);
            }
            else if (!preserve && schema["additionalProperties"]?.GetValueKind() != JsonValueKind.True)
            {
                obj.Remove(name);
                pruned?.Add(Join(path, name));
            }
        }
        if (properties is not null)
        {
            foreach (var (name, propertyNode) in properties)
            {
                if (!obj.ContainsKey(name) && propertyNode is JsonObject ps && ps["default"] is { } defaultValue)
                {
                    obj[name] = defaultValue.DeepClone();
                    Walk(obj[name], ps, Join(path, name), errors, pruned);
                }
            }
        }
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>() ?? ""))
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(Join(path, required)));
            }
        }
        CheckCount(obj.Count, schema, "minProperties", "maxProperties", "properties", path, errors);
    }

    private static void WalkArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors, List<string>? pruned)
    {
        CheckCount(array.Count, schema, "minItems", "maxItems", "items", path, errors);
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], items, $"{path}[{i}]", errors, pruned);
            }
        }
        // After the items, so that their defaults (a defaulted map key) count, as defaulting precedes validation there.
        errors.AddRange(ListTypeRules.Check(array, schema, path));
    }

    private static void CheckScalar(JsonNode node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var choices = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
            errors.Add(new FieldError(path, "FieldValueNotSupported", $"supported values: {choices}", node.ToJsonString()));
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            CheckBounds(value, schema, path, errors);
        }
        if (node is JsonValue text && text.TryGetValue<string>(out var s))
        {
            // The schema counts characters (Go's rune count), not UTF-16 units.
            var length = s.EnumerateRunes().Count();
            if (schema["minLength"] is { } minLength && length < JsonTree.Number(minLength))
            {
                errors.Add(FieldError.Invalid(path, GoText.Quote(s), $"{InBody(path)} should be at least {minLength} chars long"));
            }
            if (schema["maxLength"] is { } maxLength && length > JsonTree.Number(maxLength))
            {
                errors.Add(new FieldError(path, "FieldValueTooLong", $"may not be more than {maxLength} bytes", s));
            }
            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add(FieldError.Invalid(path, GoText.Quote(s), $"{InBody(path)} should match '{pattern}'"));
            }
        }
    }

    /// <summary>
    /// minimum/maximum, exclusive when `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI v3.0 booleans) are true, in the
    /// OpenAPI validator's words. That validator compares an integer value (an int64 once decoded) with the bound cut to
    /// int64 and prints that bound; here the comparison is exact, which differs only for a fractional bound.
    /// </summary>
    private static void CheckBounds(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        var number = JsonTree.Number(value);
        var integer = GoText.IntegerOf(value) is not null;
        string Bound(JsonNode bound) => integer
            ? ((long)JsonTree.Number(bound)).ToString(CultureInfo.InvariantCulture)
            : GoText.Float(JsonTree.Number(bound));
        if (schema["minimum"] is { } min)
        {
            var exclusive = schema["exclusiveMinimum"]?.GetValueKind() == JsonValueKind.True;
            if (exclusive ? number <= JsonTree.Number(min) : number < JsonTree.Number(min))
            {
                errors.Add(FieldError.Invalid(path, GoText.BadValue(value), $"{InBody(path)} should be greater than {(exclusive ? "" : "or equal to ")}{Bound(min)}"));
            }
        }
        if (schema["maximum"] is { } max)
        {
            var exclusive = schema["exclusiveMaximum"]?.GetValueKind() == JsonValueKind.True;
            if (exclusive ? number >= JsonTree.Number(max) : number > JsonTree.Number(max))
            {
                errors.Add(FieldError.Invalid(path, GoText.BadValue(value), $"{InBody(path)} should be less than {(exclusive ? "" : "or equal to ")}{Bound(max)}"));
            }
        }
    }

    private static void CheckCount(int count, JsonObject schema, string minKey, string maxKey, string noun, string path, List<FieldError> errors)
    {
        if (schema[minKey] is { } min && count < JsonTree.Number(min))
        {
            errors.Add(FieldError.Invalid(path, count.ToString(CultureInfo.InvariantCulture), $"{InBody(path)} should have at least {min} {noun}"));
        }
        if (schema[maxKey] is { } max && count > JsonTree.Number(max))
        {
            errors.Add(new FieldError(path, "FieldValueTooMany", $"must have at most {max} {noun}", count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static bool TypeMatches(JsonNode node, string type) => type switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => IsKind(node, JsonValueKind.String),
        "integer" => IsInteger(node),
        "number" => IsKind(node, JsonValueKind.Number),
        "boolean" => IsKind(node, JsonValueKind.True) || IsKind(node, JsonValueKind.False),
        _ => true,
    };

    private static bool IsKind(JsonNode node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;

    private static bool IsInteger(JsonNode node) =>
        IsKind(node, JsonValueKind.Number) && JsonTree.Number(node) is var d && Math.Abs(d % 1) < double.Epsilon;

    private static string TypeOf(JsonObject schema) => schema["type"]?.GetValue<string>() ?? "a value";

    private static string Text(JsonNode node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();

    /// <summary>The OpenAPI validator names the field and where it is ("spec.replicas in body") in its messages.</summary>
    private static string InBody(string path) => $"{path} in body";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
