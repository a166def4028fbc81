using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: like a merge patch, except lists whose schema says
/// `x-kubernetes-patch-strategy: merge` merge element-wise by `x-kubernetes-patch-merge-key` (containers by
/// name, ports by containerPort), and the `$patch` / `$setElementOrder` / `$retainKeys` directives are honoured.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonObject Apply(JsonObject original, JsonObject patch, JsonElement? schema)
    {
        var result = (JsonObject)original.DeepClone();
        MergeObject(result, patch, schema);
        return result;
    }

    private static void MergeObject(JsonObject target, JsonObject patch, JsonElement? schema)
    {
        if (Directive(patch) == "replace")
        {
            target.Clear();
            foreach (var (key, value) in patch.Where(p => p.Key != "$patch"))
            {
                target[key] = value?.DeepClone();
            }
            return;
        }
        if (patch["$retainKeys"] is { } retainNode)
        {
            Api.ApiException NotFieldNames() => Api.ApiErrors.BadRequest($"$retainKeys must be a list of field names, not {retainNode.ToJsonString()}");
            var keep = (retainNode as JsonArray ?? throw NotFieldNames())
                .Select(r => r is JsonValue v && v.TryGetValue<string>(out var field) ? field : throw NotFieldNames())
                .ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }
            var fieldSchema = FieldSchema(schema, key);
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && Directive(patchChild) == "delete")
            {
                target.Remove(key);
            }
            else if (value is JsonObject childPatch && target[key] is JsonObject childTarget)
            {
                MergeObject(childTarget, childPatch, fieldSchema);
            }
            else if (value is JsonArray patchList && target[key] is JsonArray targetList && MergeKey(schema, key) is { } strategy)
            {
                target[key] = MergeList(targetList, patchList, strategy.Key, Items(fieldSchema));
            }
            else
            {
                var copy = value.DeepClone();
                if (copy is JsonObject o)
                {
                    StripDirectives(o);
                }
                target[key] = copy;
            }
        }
    }

    /// <summary>
    /// The `$patch` directive of a patch object: replace, delete or merge. Anything else is refused with 400 as
    /// the real server does ("Unknown patch type"), never applied as if it were absent.
    /// </summary>
    private static string? Directive(JsonObject patch) => patch["$patch"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var d) && d is "replace" or "delete" or "merge" => d,
        var other => throw Api.ApiErrors.BadRequest($"Unknown patch type: {other.ToJsonString()} in $patch (supported: replace, delete, merge)"),
    };

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string? mergeKey, JsonElement? itemSchema)
    {
        var result = new JsonArray(target.Select(e => e?.DeepClone()).ToArray());
        foreach (var element in patch)
        {
            if (mergeKey is null || element is not JsonObject patchElement)
            {
                if (!result.Any(e => JsonNode.DeepEquals(e, element)))
                {
                    result.Add(element?.DeepClone());
                }
                continue;
            }
            var keyValue = patchElement[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], keyValue));
            if (Directive(patchElement) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is not null)
            {
                MergeObject(existing, patchElement, itemSchema);
            }
            else
            {
                var added = (JsonObject)patchElement.DeepClone();
                StripDirectives(added);
                result.Add(added);
            }
        }
        return result;
    }

    private static void StripDirectives(JsonObject obj)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            obj.Remove(key);
        }
        foreach (var child in obj.Select(p => p.Value).OfType<JsonObject>())
        {
            StripDirectives(child);
        }
    }

    /// <summary>The list's merge strategy, if its schema has one; null means "replace the list".</summary>
    private static (string? Key, bool Merge)? MergeKey(JsonElement? parentSchema, string field)
    {
        if (parentSchema is not { } schema || !schema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(field, out var property))
        {
            return null;
        }
        if (!property.TryGetProperty("x-kubernetes-patch-strategy", out var strategy) || strategy.GetString()?.Contains("merge", StringComparison.Ordinal) != true)
        {
            return null;
        }
        return (property.TryGetProperty("x-kubernetes-patch-merge-key", out var key) ? key.GetString() : null, true);
    }

    private static JsonElement? FieldSchema(JsonElement? parentSchema, string field)
    {
        if (parentSchema is not { } schema)
        {
            return null;
        }
        if (schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(field, out var property))
        {
            return BuiltInSchemas.Instance.Resolve(property);
        }
        if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
        {
            return BuiltInSchemas.Instance.Resolve(additional);
        }
        return null;
    }

    private static JsonElement? Items(JsonElement? listSchema) =>
        listSchema is { } s && s.TryGetProperty("items", out var items) ? BuiltInSchemas.Instance.Resolve(items) : null;
}
