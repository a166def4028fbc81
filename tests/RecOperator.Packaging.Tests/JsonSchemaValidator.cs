using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The JSON Schema draft-07 keywords values.schema.json uses, the way helm applies them: type, properties, required,
/// additionalProperties, items, enum, const, minimum/maximum, minLength/maxLength, pattern, $ref to definitions and
/// if/then/else. A keyword outside that list is an error, so the schema cannot rely on a check nobody runs.
/// </summary>
internal sealed class JsonSchemaValidator(JsonObject schema)
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "title", "description", "definitions", "type", "properties", "required", "additionalProperties", "items",
        "enum", "const", "minimum", "maximum", "minLength", "maxLength", "pattern", "$ref", "if", "then", "else",
    ];

    /// <summary>Every violation, each with the path of the value it is about (e.g. <c>metrics.source</c>).</summary>
    public IReadOnlyList<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(instance, schema, "", errors);
        return errors;
    }

    private void Check(JsonNode? node, JsonObject rule, string path, List<string> errors)
    {
        foreach (var (keyword, _) in rule)
        {
            if (!Known.Contains(keyword))
            {
                throw new NotSupportedException($"schema keyword '{keyword}' at {Where(path)} is not supported by this validator");
            }
        }

        if (rule["$ref"] is JsonValue reference)
        {
            var name = reference.GetValue<string>()["#/definitions/".Length..];
            Check(node, schema["definitions"]![name]!.AsObject(), path, errors);
        }

        if (rule["type"] is JsonNode type && !TypeMatches(node, type))
        {
            errors.Add($"{Where(path)}: must be {type.ToJsonString()} (got {Show(node)})");
            return;
        }

        if (rule["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, node)))
        {
            errors.Add($"{Where(path)}: must be one of {options.ToJsonString()} (got {Show(node)})");
        }

        if (rule["const"] is JsonNode constant && !JsonNode.DeepEquals(constant, node))
        {
            errors.Add($"{Where(path)}: must be {constant.ToJsonString()} (got {Show(node)})");
        }

        switch (node?.GetValueKind())
        {
            case JsonValueKind.String:
                CheckString(node.GetValue<string>(), rule, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture), rule, path, errors);
                break;
            case JsonValueKind.Object:
                CheckObject(node.AsObject(), rule, path, errors);
                break;
            case JsonValueKind.Array when rule["items"] is JsonObject items:
                var i = 0;
                foreach (var item in node.AsArray())
                {
                    Check(item, items, $"{path}[{i++}]", errors);
                }

                break;
        }

        // if/then/else: "then" applies where the instance passes "if", "else" where it does not ("if"'s own errors are
        // never reported).
        if (rule["if"] is JsonObject condition)
        {
            var branch = Validate(node, condition).Count == 0 ? rule["then"] : rule["else"];
            if (branch is JsonObject applied)
            {
                Check(node, applied, path, errors);
            }
        }
    }

    private List<string> Validate(JsonNode? node, JsonObject rule)
    {
        var errors = new List<string>();
        Check(node, rule, "", errors);
        return errors;
    }

    private void CheckObject(JsonObject obj, JsonObject rule, string path, List<string> errors)
    {
        var properties = rule["properties"] as JsonObject;
        foreach (var required in rule["required"] as JsonArray ?? [])
        {
            if (!obj.ContainsKey(required!.GetValue<string>()))
            {
                errors.Add($"{Join(path, required.GetValue<string>())}: is required");
            }
        }

        foreach (var (name, value) in obj)
        {
            if (properties?[name] is JsonObject property)
            {
                Check(value, property, Join(path, name), errors);
            }
            else if (rule["additionalProperties"] is JsonObject additional)
            {
                Check(value, additional, Join(path, name), errors);
            }
            else if (rule["additionalProperties"]?.GetValueKind() == JsonValueKind.False)
            {
                errors.Add($"{Join(path, name)}: is not a known field");
            }
        }
    }

    private static void CheckString(string text, JsonObject rule, string path, List<string> errors)
    {
        if (rule["minLength"] is JsonNode min && text.Length < min.GetValue<int>())
        {
            errors.Add($"{Where(path)}: must have at least {min} characters");
        }

        if (rule["maxLength"] is JsonNode max && text.Length > max.GetValue<int>())
        {
            errors.Add($"{Where(path)}: must have at most {max} characters");
        }

        if (rule["pattern"] is JsonNode pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
        {
            errors.Add($"{Where(path)}: '{text}' does not match {pattern.GetValue<string>()}");
        }
    }

    private static void CheckNumber(double value, JsonObject rule, string path, List<string> errors)
    {
        if (rule["minimum"] is JsonNode min && value < min.GetValue<double>())
        {
            errors.Add($"{Where(path)}: must be >= {min}");
        }

        if (rule["maximum"] is JsonNode max && value > max.GetValue<double>())
        {
            errors.Add($"{Where(path)}: must be <= {max}");
        }
    }

    private static bool TypeMatches(JsonNode? node, JsonNode type) => type is JsonArray any
        ? any.Any(t => TypeMatches(node, t!))
        : (type.GetValue<string>(), node?.GetValueKind()) switch
        {
            ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) or ("string", JsonValueKind.String) => true,
            ("boolean", JsonValueKind.True or JsonValueKind.False) or ("null", null) => true,
            ("number", JsonValueKind.Number) => true,
            ("integer", JsonValueKind.Number) => long.TryParse(node!.ToJsonString(), out _),
            _ => false,
        };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Where(string path) => path.Length == 0 ? "(values)" : path;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
