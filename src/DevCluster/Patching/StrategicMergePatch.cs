using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: like a merge patch, except lists whose schema says
/// `x-kubernetes-patch-strategy: merge` merge element-wise by `x-kubernetes-patch-merge-key` (containers by
/// name, ports by containerPort), and the directives are honoured: `$patch` (replace, delete, merge; on a map or as a
/// list element), `$retainKeys`, `$deleteFromPrimitiveList/FIELD` and `$setElementOrder/FIELD`.
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
        var originalLists = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }
            if (target[key] is JsonArray before)
            {
                originalLists[key] = before;
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
                target[key] = WithoutDirectives(value);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                DeleteValues(target, key[DeleteFromPrimitiveList.Length..], value);
            }
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                var field = key[SetElementOrder.Length..];
                if (target[field] is JsonArray list)
                {
                    // The list before the patch: the one the merge replaced, or this one when the patch left the field alone.
                    var original = originalLists.TryGetValue(field, out var before) ? before : list;
                    target[field] = Reorder(list, original, value as JsonArray ?? throw OrderNotAList(key), MergeKey(schema, field)?.Key);
                }
            }
        }
    }

    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    private const string SetElementOrder = "$setElementOrder/";

    private static Api.ApiException OrderNotAList(string key) => Api.ApiErrors.BadRequest($"{key} must be a list");

    /// <summary>
    /// `$deleteFromPrimitiveList/FIELD: [values]`: what client-side `kubectl apply` sends for values dropped from a merged
    /// list of scalars (finalizers, say), which a plain merge would keep forever.
    /// </summary>
    private static void DeleteValues(JsonObject target, string field, JsonNode? values)
    {
        if (values is not JsonArray deleted)
        {
            throw Api.ApiErrors.BadRequest($"{DeleteFromPrimitiveList}{field} must be a list");
        }
        if (target[field] is JsonArray list)
        {
            foreach (var gone in list.Where(e => deleted.Any(d => JsonNode.DeepEquals(d, e))).ToList())
            {
                list.Remove(gone);
            }
        }
    }

    /// <summary>
    /// `$setElementOrder/FIELD`: the order the patch's author wants the merged list in. The elements it names come in
    /// that order; elements only the server has keep their place relative to them by their index in the list before
    /// the patch (a new element stands where the one before it in the order stood).
    /// </summary>
    private static JsonArray Reorder(JsonArray merged, JsonArray original, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? element) => mergeKey is not null && element is JsonObject o ? o[mergeKey] : element;
        int IndexIn(JsonArray list, JsonNode? element) =>
            list.Select((e, i) => (e, i)).FirstOrDefault(p => JsonNode.DeepEquals(KeyOf(p.e), KeyOf(element)), (null, -1)).i;

        var named = new List<(JsonNode? Element, int Index)>();
        var previous = -1;
        foreach (var wanted in order)
        {
            var at = IndexIn(merged, wanted);
            if (at < 0 || named.Any(n => ReferenceEquals(n.Element, merged[at])))
            {
                continue;
            }
            var index = IndexIn(original, merged[at]);
            previous = index >= 0 ? index : previous;
            named.Add((merged[at], previous));
        }
        var serverOnly = merged.Where(e => !named.Any(n => ReferenceEquals(n.Element, e))).Select(e => (Element: e, Index: IndexIn(original, e))).ToList();
        var result = new List<JsonNode?>();
        var (i, j) = (0, 0);
        while (i < named.Count || j < serverOnly.Count)
        {
            var takeServerOnly = j < serverOnly.Count && (i == named.Count || (serverOnly[j].Index >= 0 && serverOnly[j].Index < named[i].Index));
            result.Add((takeServerOnly ? serverOnly[j++].Element : named[i++].Element)?.DeepClone());
        }
        return new JsonArray(result.ToArray());
    }

    /// <summary>A value copied from the patch as it is: directives inside it (and directive-only list elements) dropped.</summary>
    private static JsonNode? WithoutDirectives(JsonNode value)
    {
        var copy = value.DeepClone();
        if (copy is JsonObject o)
        {
            StripDirectives(o);
        }
        else if (copy is JsonArray list)
        {
            foreach (var directive in list.OfType<JsonObject>().Where(IsDirectiveOnly).ToList())
            {
                list.Remove(directive);
            }
            foreach (var element in list.OfType<JsonObject>())
            {
                StripDirectives(element);
            }
        }
        return copy;
    }

    private static bool IsDirectiveOnly(JsonObject element) => element.Count > 0 && element.All(p => p.Key.StartsWith('$'));

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
        // An element `{"$patch": "replace"}` makes the patch's other elements the whole list.
        if (patch.OfType<JsonObject>().Any(e => IsDirectiveOnly(e) && Directive(e) == "replace"))
        {
            return (JsonArray)WithoutDirectives(patch)!;
        }
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
