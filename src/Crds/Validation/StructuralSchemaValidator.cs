using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K = RecOperator.Crds.Schema.SchemaKeywords;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Validation;

/// <summary>
/// Validates a JSON document against a structural OpenAPI v3 schema the way the API server validates custom
/// resources: types, unknown fields, required, enum, bounds, patterns, lengths, item counts and list-map keys.
/// Every error is reported (not just the first), each with its field path. CEL rules are not evaluated here;
/// the typed rules in <see cref="ResourceRules"/> implement them.
/// </summary>
public static class StructuralSchemaValidator
{
    public static IReadOnlyList<FieldError> Validate(JsonNode? document, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        Check(document, schema, "", errors);
        return errors;
    }

    private static void Check(JsonNode? node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            errors.Add(new(Where(path), "must not be null"));
            return;
        }

        if (schema[K.IntOrString]?.GetValue<bool>() == true)
        {
            CheckIntOrString(node, schema, path, errors);
            return;
        }

        switch ((string?)schema[K.Type])
        {
            case K.Object:
                CheckObject(node, schema, path, errors);
                break;
            case K.Array:
                CheckArray(node, schema, path, errors);
                break;
            case K.String:
                if (Expect(node, JsonValueKind.String, "a string", path, errors))
                {
                    CheckString(node.GetValue<string>(), schema, path, errors);
                }

                break;
            case K.Integer:
                if (Expect(node, JsonValueKind.Number, "an integer", path, errors))
                {
                    if (!long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    {
                        errors.Add(new(Where(path), $"must be an integer (got {node.ToJsonString()})"));
                    }
                    else
                    {
                        CheckNumber(integer, schema, path, errors);
                    }
                }

                break;
            case K.Number:
                if (Expect(node, JsonValueKind.Number, "a number", path, errors))
                {
                    CheckNumber(Number(node), schema, path, errors);
                }

                break;
            case K.Boolean:
                if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(Where(path), $"must be true or false (got {Describe(node)})"));
                }

                break;
        }
    }

    private static void CheckObject(JsonNode node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new(Where(path), $"must be an object (got {Describe(node)})"));
            return;
        }

        var properties = schema[K.Properties] as JsonObject;
        var additional = schema[K.AdditionalProperties] as JsonObject;
        var preserveUnknown = schema[K.PreserveUnknownFields]?.GetValue<bool>() == true;
        foreach (var (name, value) in obj)
        {
            var childPath = JsonPath.Child(path, name);
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(value, propertySchema, childPath, errors);
            }
            else if (additional is not null)
            {
                Check(value, additional, childPath, errors);
            }
            else if (!preserveUnknown && properties is not null)
            {
                errors.Add(new(childPath, $"unknown field \"{name}\""));
            }
        }

        foreach (var required in (schema[K.Required] as JsonArray ?? []).Select(r => (string)r!))
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(new(JsonPath.Child(path, required), "required field is missing"));
            }
        }
    }

    private static void CheckArray(JsonNode node, JsonObject schema, string path, List<FieldError> errors)
    {
        if (node is not JsonArray array)
        {
            errors.Add(new(Where(path), $"must be a list (got {Describe(node)})"));
            return;
        }

        if (schema[K.MinItems] is JsonNode minItems && array.Count < (int)Number(minItems))
        {
            var min = (int)Number(minItems);
            errors.Add(new(Where(path), $"must have at least {min} item{(min == 1 ? "" : "s")} (got {array.Count})"));
        }

        if (schema[K.MaxItems] is JsonNode maxItems && array.Count > (int)Number(maxItems))
        {
            errors.Add(new(Where(path), $"must have at most {(int)Number(maxItems)} items (got {array.Count})"));
        }

        if (schema[K.Items] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], itemSchema, JsonPath.Index(path, i), errors);
            }
        }

        if ((string?)schema[K.ListType] == "map" && schema[K.ListMapKeys] is JsonArray keys)
        {
            CheckUniqueKeys(array, keys.Select(k => (string)k!).ToList(), path, errors);
        }

        if ((string?)schema[K.ListType] == "set")
        {
            CheckUniqueItems(array, path, errors);
        }
    }

    // x-kubernetes-list-type: set: the API server rejects a list with the same scalar twice.
    private static void CheckUniqueItems(JsonArray array, string path, List<FieldError> errors)
    {
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue item)
            {
                continue;
            }

            var value = item.ToJsonString();
            if (!seen.TryAdd(value, i))
            {
                errors.Add(new(JsonPath.Index(path, i), $"duplicate value {value} (also at {JsonPath.Index(path, seen[value])})"));
            }
        }
    }

    private static void CheckUniqueKeys(JsonArray array, List<string> keys, string path, List<FieldError> errors)
    {
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item || keys.Any(k => item[k] is null))
            {
                continue;
            }

            var key = string.Join("/", keys.Select(k => item[k]!.ToJsonString()));
            if (!seen.TryAdd(key, i))
            {
                var field = JsonPath.Child(JsonPath.Index(path, i), keys[0]);
                errors.Add(new(field, $"duplicate value {key} (also at {JsonPath.Index(path, seen[key])})"));
            }
        }
    }

    private static void CheckString(string value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema[K.Enum] is JsonArray allowed && !allowed.Any(a => (string?)a == value))
        {
            errors.Add(new(Where(path), $"must be one of {string.Join(", ", allowed.Select(a => (string?)a))} (got \"{value}\")"));
        }

        if (schema[K.MaxLength] is JsonNode maxLength && value.Length > (int)Number(maxLength))
        {
            errors.Add(new(Where(path), $"must be at most {(int)Number(maxLength)} characters (got {value.Length})"));
        }

        if ((string?)schema[K.Pattern] is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new(Where(path), $"{PatternReasons.For(pattern)} (got \"{value}\")"));
        }

        if ((string?)schema[K.Format] == "date-time" && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, out _))
        {
            errors.Add(new(Where(path), $"must be an RFC 3339 date-time (got \"{value}\")"));
        }
    }

    private static void CheckNumber(double value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema[K.Minimum] is JsonNode minNode)
        {
            var min = Number(minNode);
            var exclusive = schema[K.ExclusiveMinimum]?.GetValue<bool>() == true;
            if (exclusive ? value <= min : value < min)
            {
                errors.Add(new(Where(path), $"must be {(exclusive ? ">" : ">=")} {Format(min)} (got {Format(value)})"));
            }
        }

        if (schema[K.Maximum] is JsonNode maxNode && value > Number(maxNode))
        {
            errors.Add(new(Where(path), $"must be <= {Format(Number(maxNode))} (got {Format(value)})"));
        }
    }

    private static void CheckIntOrString(JsonNode node, JsonObject schema, string path, List<FieldError> errors)
    {
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                return;
            case JsonValueKind.String:
                CheckString(node.GetValue<string>(), schema, path, errors);
                return;
            default:
                errors.Add(new(Where(path), $"must be an integer or a string (got {Describe(node)})"));
                return;
        }
    }

    private static bool Expect(JsonNode node, JsonValueKind kind, string what, string path, List<FieldError> errors)
    {
        if (node.GetValueKind() == kind)
        {
            return true;
        }

        errors.Add(new(Where(path), $"must be {what} (got {Describe(node)})"));
        return false;
    }

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string {node.ToJsonString()}",
        JsonValueKind.Number => $"the number {node.ToJsonString()}",
        _ => node.ToJsonString(),
    };

    // A JSON number node may hold a long, a double or raw JSON; its text reads the same way in every case.
    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string Where(string path) => path.Length == 0 ? "(document)" : path;
}
