using System.Text.Json.Nodes;
using RecOperator.Crds.Validation;
using K = RecOperator.Crds.Schema.SchemaKeywords;

namespace RecOperator.Crds.Schema;

/// <summary>
/// Checks that an OpenAPI v3 schema is structural, as apiextensions.k8s.io/v1 requires of every CRD: each node has a
/// type (unless int-or-string or preserve-unknown-fields), no properties beside additionalProperties, logical
/// junctors only in the int-or-string form, metadata restricted to itself, list-map keys required, sets of scalars, and every
/// default valid against its own schema. Returns one line per violation, with the node's path.
/// </summary>
public static class StructuralSchemaChecker
{
    private static readonly HashSet<string> Types = [K.Object, K.Array, K.String, K.Integer, K.Number, K.Boolean];
    private static readonly string[] Junctors = ["allOf", K.AnyOf, "oneOf", "not"];

    public static IReadOnlyList<string> Check(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var violations = new List<string>();
        CheckNode(schema, "", violations);
        if (schema[K.Properties]?["metadata"] is JsonObject metadata && metadata.Any(p => p.Key is not (K.Type or K.Description)))
        {
            violations.Add("properties.metadata: only 'type: object' is allowed for metadata");
        }

        return violations;
    }

    private static void CheckNode(JsonObject node, string path, List<string> violations)
    {
        var at = path.Length == 0 ? "(root)" : path;
        var intOrString = node[K.IntOrString]?.GetValue<bool>() == true;
        var preserveUnknown = node[K.PreserveUnknownFields]?.GetValue<bool>() == true;
        var type = (string?)node[K.Type];
        if (type is null && !intOrString && !preserveUnknown)
        {
            violations.Add($"{at}: type is missing");
        }
        else if (type is not null && !Types.Contains(type))
        {
            violations.Add($"{at}: type \"{type}\" is not an OpenAPI type");
        }

        if (node.ContainsKey("$ref"))
        {
            violations.Add($"{at}: $ref is not allowed");
        }

        if (node.ContainsKey(K.Properties) && node.ContainsKey(K.AdditionalProperties))
        {
            violations.Add($"{at}: properties and additionalProperties are mutually exclusive");
        }

        foreach (var junctor in Junctors.Where(node.ContainsKey))
        {
            if (!(intOrString && junctor == K.AnyOf && IsIntOrStringAnyOf(node[junctor])))
            {
                violations.Add($"{at}: {junctor} is only allowed as the int-or-string pattern");
            }
        }

        CheckListMap(node, at, violations);
        if (node[K.Default] is JsonNode value)
        {
            violations.AddRange(StructuralSchemaValidator.Validate(value, WithoutDefault(node))
                .Select(e => $"{at}: default is invalid: {e}"));
        }

        foreach (var (name, child) in node[K.Properties] as JsonObject ?? [])
        {
            CheckChild(child, $"{path}.properties.{name}".TrimStart('.'), violations);
        }

        CheckChild(node[K.Items], $"{path}.items".TrimStart('.'), violations);
        CheckChild(node[K.AdditionalProperties], $"{path}.additionalProperties".TrimStart('.'), violations);
    }

    private static void CheckChild(JsonNode? child, string path, List<string> violations)
    {
        if (child is JsonObject obj)
        {
            CheckNode(obj, path, violations);
        }
        else if (child is not null && child.GetValueKind() != System.Text.Json.JsonValueKind.True)
        {
            violations.Add($"{path}: must be a schema object");
        }
    }

    private static void CheckListMap(JsonObject node, string at, List<string> violations)
    {
        // The API server compares set items by value, so a set of objects or lists is refused.
        if ((string?)node[K.ListType] == "set" && (string?)node[K.Items]?[K.Type] is K.Object or K.Array)
        {
            violations.Add($"{at}: {K.ListType}: set needs scalar items");
        }

        if (node[K.ListMapKeys] is not JsonArray keys)
        {
            return;
        }

        if ((string?)node[K.ListType] != "map")
        {
            violations.Add($"{at}: {K.ListMapKeys} needs {K.ListType}: map");
        }

        var required = (node[K.Items]?[K.Required] as JsonArray ?? []).Select(r => (string?)r).ToHashSet();
        foreach (var key in keys.Select(k => (string?)k).Where(k => !required.Contains(k)))
        {
            violations.Add($"{at}: list-map key \"{key}\" must be a required field of the items");
        }
    }

    private static bool IsIntOrStringAnyOf(JsonNode? anyOf) =>
        anyOf is JsonArray { Count: 2 } items &&
        items.Select(i => (string?)i?[K.Type]).Order().SequenceEqual([K.Integer, K.String]) &&
        items.All(i => i is JsonObject { Count: 1 });

    private static JsonObject WithoutDefault(JsonObject node)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove(K.Default);
        return copy;
    }
}
