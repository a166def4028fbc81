using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// The set of leaf fields an object sets, as paths, and its `fieldsV1` form (`{"f:spec":{"f:replicas":{}}}`).
/// Elements of associative lists are addressed by their keys (`k:{"name":"main"}`) and owned field by field;
/// other lists are atomic leaves, owned as a whole.
/// </summary>
public static class FieldSet
{
    private const char Separator = '\n';
    private const string KeyPrefix = "k:";
    private static readonly string[] RootSkipped = ["apiVersion", "kind"];
    private static readonly string[] MetadataOwned = ["labels", "annotations", "finalizers", "ownerReferences"];

    /// <summary>Leaf paths of an object; `status` only counts for the status subresource.</summary>
    public static HashSet<string> Leaves(JsonObject obj, bool statusOnly, ListMapKeys keys)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (RootSkipped.Contains(key) || (key == "status") != statusOnly)
            {
                continue;
            }
            if (key == "metadata")
            {
                foreach (var owned in MetadataOwned)
                {
                    if (value?[owned] is { } ownedValue)
                    {
                        Collect(ownedValue, $"metadata{Separator}{owned}", ["metadata", owned], keys, leaves);
                    }
                }
                continue;
            }
            Collect(value, key, [key], keys, leaves);
        }
        return leaves;
    }

    /// <summary>
    /// Gives each associative-list element the key fields it leaves out that have a default (<see cref="ListMapKeys.KeyDefault"/>),
    /// so an applied `{containerPort: 80}` is the element the server stored as 80/TCP, and is owned and removed as it.
    /// </summary>
    public static void FillKeyDefaults(JsonNode? value, ListMapKeys keys) => FillKeyDefaults(value, [], keys);

    private static void FillKeyDefaults(JsonNode? value, List<string> fieldNames, ListMapKeys keys)
    {
        if (value is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                FillKeyDefaults(child, [.. fieldNames, key], keys);
            }
        }
        else if (value is JsonArray list && fieldNames.Count > 0)
        {
            var mapKeys = keys.At(fieldNames) ?? [];
            foreach (var element in list.OfType<JsonObject>())
            {
                foreach (var key in mapKeys.Where(k => !element.ContainsKey(k)))
                {
                    if (keys.KeyDefault(fieldNames, key) is { } fallback)
                    {
                        element[key] = fallback;
                    }
                }
                FillKeyDefaults(element, fieldNames, keys);
            }
        }
    }

    public static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split(Separator))
        {
            node = Step(node, part);
        }
        return node;
    }

    /// <summary>
    /// Removes a leaf; an associative-list element left without fields is removed with it, and so is one whose key field
    /// is removed (it cannot stay in the list without its key, and its other leaves could no longer be found by it).
    /// </summary>
    public static void RemoveAt(JsonObject obj, string path)
    {
        var parts = path.Split(Separator);
        var chain = new List<JsonNode?> { obj };
        foreach (var part in parts[..^1])
        {
            chain.Add(Step(chain[^1], part));
        }
        if (parts.Length >= 2 && parts[^2].StartsWith(KeyPrefix, StringComparison.Ordinal) && chain[^2] is JsonArray owner && chain[^1] is JsonObject keyed
            && JsonNode.Parse(parts[^2][KeyPrefix.Length..]) is JsonObject key && key.ContainsKey(parts[^1]))
        {
            owner.Remove(keyed);
            return;
        }
        (chain[^1] as JsonObject)?.Remove(parts[^1]);
        for (var i = parts.Length - 2; i >= 0; i--)
        {
            if (parts[i].StartsWith(KeyPrefix, StringComparison.Ordinal) && chain[i + 1] is JsonObject { Count: 0 } empty && chain[i] is JsonArray list)
            {
                list.Remove(empty);
            }
        }
    }

    /// <summary>Sets a leaf, creating objects and associative-list elements (with their key fields) on the way.</summary>
    public static void SetAt(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split(Separator);
        JsonNode current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var part = parts[i];
            var nextIsElement = parts[i + 1].StartsWith(KeyPrefix, StringComparison.Ordinal);
            if (part.StartsWith(KeyPrefix, StringComparison.Ordinal) && current is JsonArray list)
            {
                var element = Step(list, part) as JsonObject;
                if (element is null)
                {
                    element = (JsonObject)JsonNode.Parse(part[KeyPrefix.Length..])!;
                    list.Add(element);
                }
                current = element;
            }
            else if (current is JsonObject obj)
            {
                if (nextIsElement ? obj[part] is not JsonArray : obj[part] is not JsonObject)
                {
                    obj[part] = nextIsElement ? new JsonArray() : new JsonObject();
                }
                current = obj[part]!;
            }
        }
        if (current is JsonObject target)
        {
            target[parts[^1]] = value?.DeepClone();
        }
    }

    /// <summary>Whether <paramref name="path"/> lies below <paramref name="ancestor"/> (a field of it, at any depth).</summary>
    public static bool IsBelow(string path, string ancestor) =>
        path.Length > ancestor.Length + 1 && path[ancestor.Length] == Separator && path.StartsWith(ancestor, StringComparison.Ordinal);

    /// <summary>
    /// Whether an applied value and the live one agree for ownership. An empty map claims the map and none of its
    /// fields (it is a leaf only because it has no fields), so it agrees with any live map: applying
    /// `annotations: {}` says "the map exists", not "the map is empty".
    /// </summary>
    public static bool Agrees(JsonNode? live, JsonNode? applied) =>
        applied is JsonObject { Count: 0 } ? live is JsonObject : JsonNode.DeepEquals(live, applied);

    /// <summary>A path's elements: field names, and `k:{...}` for an associative-list element.</summary>
    public static string[] Parts(string path) => path.Split(Separator);

    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var part in path.Split(Separator))
            {
                var key = part.StartsWith(KeyPrefix, StringComparison.Ordinal) ? part : "f:" + part;
                if (node[key] is not JsonObject next)
                {
                    next = new JsonObject();
                    node[key] = next;
                }
                node = next;
            }
        }
        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Walk(fields, "", paths);
        return paths;
    }

    private static JsonNode? Step(JsonNode? node, string part)
    {
        if (part.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            var key = JsonNode.Parse(part[KeyPrefix.Length..]) as JsonObject ?? [];
            return (node as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => key.All(k => JsonNode.DeepEquals(e[k.Key], k.Value)));
        }
        return node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
    }

    private static void Walk(JsonObject? node, string prefix, HashSet<string> paths)
    {
        foreach (var (key, value) in node ?? [])
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal) && !key.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var part = key.StartsWith("f:", StringComparison.Ordinal) ? key[2..] : key;
            var path = prefix.Length == 0 ? part : prefix + Separator + part;
            if (value is JsonObject child && child.Count > 0)
            {
                Walk(child, path, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }

    private static void Collect(JsonNode? value, string path, List<string> fieldNames, ListMapKeys keys, HashSet<string> leaves)
    {
        if (value is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj)
            {
                Collect(child, path + Separator + key, [.. fieldNames, key], keys, leaves);
            }
        }
        else if (value is JsonArray list && keys.At(fieldNames) is { } mapKeys
            && list.All(e => e is JsonObject element && mapKeys.All(element.ContainsKey)))
        {
            // An empty associative list claims no element: the other managers' elements stay.
            foreach (var element in list.OfType<JsonObject>())
            {
                var key = new JsonObject(mapKeys.Select(k => KeyValuePair.Create(k, element[k]?.DeepClone())));
                Collect(element, path + Separator + KeyPrefix + key.ToJsonString(), fieldNames, keys, leaves);
            }
        }
        else
        {
            leaves.Add(path);
        }
    }
}
