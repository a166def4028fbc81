using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The JSON types of `kind`, `apiVersion` and the ObjectMeta fields, checked before anything reads them. The
/// real server decodes into typed structs and answers 400 when a type is wrong; without this check a label
/// value 1 or a finalizer [1] was stored, and the object could not be deleted afterwards (500 on every DELETE).
/// </summary>
public static class MetadataTypes
{
    private static readonly string[] Strings = ["name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "selfLink"];
    private static readonly string[] Integers = ["generation", "deletionGracePeriodSeconds"];
    private static readonly string[] StringMaps = ["labels", "annotations"];
    private static readonly string[] OwnerReferenceStrings = ["apiVersion", "kind", "name", "uid"];
    private static readonly string[] OwnerReferenceBools = ["controller", "blockOwnerDeletion"];

    /// <summary>Throws 400 BadRequest naming the first field whose JSON type is wrong.</summary>
    public static void Check(JsonObject obj)
    {
        Expect(obj["kind"], JsonValueKind.String, "kind");
        Expect(obj["apiVersion"], JsonValueKind.String, "apiVersion");
        if (obj["metadata"] is not { } metadataNode)
        {
            return;
        }
        var meta = metadataNode as JsonObject ?? throw Wrong("metadata", "an object", metadataNode);
        foreach (var field in Strings)
        {
            Expect(meta[field], JsonValueKind.String, $"metadata.{field}");
        }
        foreach (var field in Integers)
        {
            if (meta[field] is { } n && (n is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !long.TryParse(v.ToJsonString(), out _)))
            {
                throw Wrong($"metadata.{field}", "an integer", n);
            }
        }
        foreach (var field in StringMaps)
        {
            if (meta[field] is { } mapNode)
            {
                var map = mapNode as JsonObject ?? throw Wrong($"metadata.{field}", "an object of strings", mapNode);
                foreach (var (key, value) in map)
                {
                    Expect(value, JsonValueKind.String, $"metadata.{field}[{key}]");
                }
            }
        }
        foreach (var (item, i) in List(meta, "finalizers"))
        {
            Expect(item, JsonValueKind.String, $"metadata.finalizers[{i}]");
        }
        foreach (var (item, i) in List(meta, "ownerReferences"))
        {
            var reference = item as JsonObject ?? throw Wrong($"metadata.ownerReferences[{i}]", "an object", item);
            foreach (var field in OwnerReferenceStrings)
            {
                Expect(reference[field], JsonValueKind.String, $"metadata.ownerReferences[{i}].{field}");
            }
            foreach (var field in OwnerReferenceBools)
            {
                if (reference[field] is { } b && b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Wrong($"metadata.ownerReferences[{i}].{field}", "a boolean", b);
                }
            }
        }
        foreach (var (item, i) in List(meta, "managedFields"))
        {
            _ = item as JsonObject ?? throw Wrong($"metadata.managedFields[{i}]", "an object", item);
        }
    }

    private static IEnumerable<(JsonNode? Item, int Index)> List(JsonObject meta, string field) => meta[field] switch
    {
        null => [],
        JsonArray list => list.Select((item, i) => (item, i)),
        var other => throw Wrong($"metadata.{field}", "a list", other),
    };

    /// <summary>null stands for "not set", as JSON null decodes to the zero value in the real server.</summary>
    private static void Expect(JsonNode? node, JsonValueKind kind, string field)
    {
        if (node is not null && node.GetValueKind() != kind)
        {
            throw Wrong(field, kind == JsonValueKind.String ? "a string" : kind.ToString(), node);
        }
    }

    private static ApiException Wrong(string field, string expected, JsonNode? value) =>
        ApiErrors.BadRequest($"{field} must be {expected}, not {value?.ToJsonString() ?? "null"}");
}
