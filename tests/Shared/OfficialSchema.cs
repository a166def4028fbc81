using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.Tests.Shared;

/// <summary>
/// Validates objects against the official Kubernetes OpenAPI v2 document (../shared/k8s/swagger.json): unknown fields,
/// wrong types and missing required fields are errors, each with its field path. Used to check every object the
/// project sends to an API server.
/// </summary>
internal sealed class OfficialSchema
{
    private static readonly Lazy<OfficialSchema> Instance = new(() => new OfficialSchema(Path.Combine(RepoPaths.Shared, "k8s", "swagger.json")));

    private readonly JsonObject definitions;
    private readonly Dictionary<string, string> definitionByGvk = new(StringComparer.Ordinal);

    private OfficialSchema(string path)
    {
        definitions = JsonNode.Parse(File.ReadAllText(path))!["definitions"]!.AsObject();
        foreach (var (name, definition) in definitions)
        {
            foreach (var gvk in definition?["x-kubernetes-group-version-kind"] as JsonArray ?? [])
            {
                var group = (string?)gvk!["group"] ?? "";
                var apiVersion = group.Length == 0 ? (string?)gvk["version"] : $"{group}/{gvk["version"]}";
                definitionByGvk.TryAdd($"{apiVersion}/{gvk["kind"]}", name);
            }
        }
    }

    public static OfficialSchema Load() => Instance.Value;

    /// <summary>Every violation in an object, found by its apiVersion and kind.</summary>
    public IReadOnlyList<string> Validate(JsonNode obj)
    {
        var key = $"{(string?)obj["apiVersion"]}/{(string?)obj["kind"]}";
        if (!definitionByGvk.TryGetValue(key, out var definition))
        {
            return [$"no definition for {key}"];
        }

        var errors = new List<string>();
        Check(obj, definitions[definition]!.AsObject(), "", errors);
        return errors;
    }

    private void Check(JsonNode? node, JsonObject schema, string path, List<string> errors)
    {
        if (schema["$ref"] is JsonNode reference)
        {
            schema = definitions[((string)reference!)["#/definitions/".Length..]]!.AsObject();
        }

        if (node is null)
        {
            return;
        }

        var kind = node.GetValueKind();
        switch ((string?)schema["type"], (string?)schema["format"])
        {
            case ("string", "int-or-string"):
                Expect(kind is JsonValueKind.String or JsonValueKind.Number, path, "an integer or a string", node, errors);
                break;
            case ("string", _) when schema["properties"] is null:
                // Quantities are strings in the schema but the API server also accepts plain numbers.
                Expect(kind == JsonValueKind.String || (kind == JsonValueKind.Number && IsQuantity(schema)), path, "a string", node, errors);
                break;
            case ("integer", _):
                Expect(kind == JsonValueKind.Number && long.TryParse(node.ToJsonString(), out _), path, "an integer", node, errors);
                break;
            case ("number", _):
                Expect(kind == JsonValueKind.Number, path, "a number", node, errors);
                break;
            case ("boolean", _):
                Expect(kind is JsonValueKind.True or JsonValueKind.False, path, "a boolean", node, errors);
                break;
            case ("array", _):
                if (Expect(node is JsonArray, path, "a list", node, errors))
                {
                    var items = schema["items"]!.AsObject();
                    var i = 0;
                    foreach (var item in node.AsArray())
                    {
                        Check(item, items, $"{path}[{i++}]", errors);
                    }
                }

                break;
            default:
                CheckObject(node, schema, path, errors);
                break;
        }
    }

    private void CheckObject(JsonNode node, JsonObject schema, string path, List<string> errors)
    {
        if (!Expect(node is JsonObject, path, "an object", node, errors))
        {
            return;
        }

        var obj = node.AsObject();
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, value) in obj)
        {
            var child = path.Length == 0 ? name : $"{path}.{name}";
            if (properties?[name] is JsonObject propertySchema)
            {
                Check(value, propertySchema, child, errors);
            }
            else if (additional is not null)
            {
                Check(value, additional, child, errors);
            }
            else if (properties is not null)
            {
                errors.Add($"{child}: unknown field");
            }
        }

        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            if (!obj.ContainsKey((string)required!))
            {
                errors.Add($"{(path.Length == 0 ? "" : path + ".")}{required}: required field is missing");
            }
        }
    }

    private static bool IsQuantity(JsonObject schema) => ((string?)schema["description"])?.Contains("Quantity", StringComparison.Ordinal) == true;

    private static bool Expect(bool ok, string path, string what, JsonNode node, List<string> errors)
    {
        if (!ok)
        {
            errors.Add($"{(path.Length == 0 ? "(root)" : path)}: must be {what} (got {node.ToJsonString()})");
        }

        return ok;
    }
}
