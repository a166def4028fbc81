using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over JSON pointers.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode root = target.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = Member(op, "op") ?? throw ApiErrors.BadRequest("json patch operation is missing \"op\"");
            var path = Member(op, "path") ?? throw ApiErrors.BadRequest("json patch operation is missing \"path\"");
            switch (kind)
            {
                case "add":
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Resolve(root, From(op))?.DeepClone();
                    Remove(root, From(op));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Resolve(root, From(op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value at {path} failed");
                    }
                    break;
                default:
                    throw Rejected($"Unexpected kind: {kind}");
            }
        }
        return root as JsonObject ?? throw ApiErrors.BadRequest("json patch must leave an object");
    }

    private static string From(JsonObject op) => Member(op, "from") ?? throw ApiErrors.BadRequest("json patch move/copy is missing \"from\"");

    /// <summary>A string member of an operation; any other JSON type is the client's error, named, not a server fault.</summary>
    private static string? Member(JsonObject op, string member) => op[member] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        var other => throw ApiErrors.BadRequest($"json patch operation \"{member}\" must be a string, not {other.ToJsonString()}"),
    };

    /// <summary>A patch the real server decodes but cannot apply: 422 with its wording.</summary>
    private static ApiException Rejected(string why) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: {why}");

    /// <summary>
    /// RFC 6901: a pointer is "" (the document) or starts with "/". Without the check "data" would be read as
    /// "/ata" and the patch would silently write a field nobody named.
    /// </summary>
    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? []
        : pointer[0] != '/' ? throw Rejected($"json patch path \"{pointer}\" must be empty or start with \"/\"")
        : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Resolve(JsonNode? node, string pointer)
    {
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\""),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw ApiErrors.BadRequest("json patch cannot replace the whole document");
        }
        var parent = tokens.Length == 1
            ? root
            : Resolve(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
        return (parent ?? throw ApiErrors.BadRequest($"json patch path {path} has a null parent"), tokens[^1]);
    }

    private static void Add(JsonNode root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        if (parent is JsonObject obj)
        {
            obj[last] = value;
        }
        else if (parent is JsonArray array)
        {
            if (last == "-")
            {
                array.Add(value);
            }
            else if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= array.Count)
            {
                array.Insert(i, value);
            }
            else
            {
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: index out of range at \"{path}\"");
            }
        }
    }

    private static void Remove(JsonNode root, string path)
    {
        var (parent, last) = Parent(root, path);
        if (parent is JsonObject obj && obj.ContainsKey(last))
        {
            obj.Remove(last);
        }
        else if (parent is JsonArray array && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count)
        {
            array.RemoveAt(i);
        }
        else
        {
            throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{path}\"");
        }
    }
}
