using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Patching;

/// <summary>
/// The set of leaf fields an object sets, as paths of field names, and its `fieldsV1` form
/// (`{"f:spec":{"f:replicas":{}}}`). Lists are atomic leaves here: a list is owned as a whole.
/// </summary>
public static class FieldSet
{
    private const char Separator = '\n';
    private static readonly string[] RootSkipped = ["apiVersion", "kind"];
    private static readonly string[] MetadataOwned = ["labels", "annotations", "finalizers", "ownerReferences"];

    /// <summary>Leaf paths of an object; `status` only counts for the status subresource.</summary>
    public static HashSet<string> Leaves(JsonObject obj, bool statusOnly)
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
                        Collect(ownedValue, $"metadata{Separator}{owned}", leaves);
                    }
                }
                continue;
            }
            Collect(value, key, leaves);
        }
        return leaves;
    }

    public static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split(Separator))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }
        return node;
    }

    public static void RemoveAt(JsonObject obj, string path)
    {
        var parts = path.Split(Separator);
        JsonNode? node = obj;
        foreach (var part in parts[..^1])
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }
        (node as JsonObject)?.Remove(parts[^1]);
    }

    public static string Display(string path) => "." + path.Replace(Separator, '.');

    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var part in path.Split(Separator))
            {
                var key = "f:" + part;
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

    private static void Walk(JsonObject? node, string prefix, HashSet<string> paths)
    {
        if (node is null)
        {
            return;
        }
        foreach (var (key, value) in node)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }
            var path = prefix.Length == 0 ? key[2..] : prefix + Separator + key[2..];
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

    private static void Collect(JsonNode? value, string path, HashSet<string> leaves)
    {
        if (value is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, child) in obj)
            {
                Collect(child, path + Separator + key, leaves);
            }
        }
        else
        {
            leaves.Add(path);
        }
    }
}
