using System.Text.Json;
using RecOperator.DevCluster.Api.Protobuf;
using RecOperator.DevCluster.Patching;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// /openapi/v2 in the form kubectl asks for it: the gnostic <c>openapi.v2.Document</c> protobuf
/// (kubectl sends <c>Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c> and nothing else). kubectl reads it to
/// validate what it applies where OpenAPI v3 cannot answer, a <c>kind: List</c> for one, and took the JSON document
/// for malformed protobuf ("proto: cannot parse invalid wire-format data"), so such an apply failed.
/// </summary>
/// <remarks>
/// Written: the Swagger version, info, every definition with every Schema field, and the document's and each schema's
/// x- extensions, each value as YAML (JSON is YAML) as gnostic's Any carries it. Left out: paths, parameters and
/// responses, which kubectl reads only to learn whether the server validates fields itself for a kind. Finding no
/// operation there, it validates on its own side, against these definitions.
/// Field numbers are gnostic's openapiv2/OpenAPIv2.proto.
/// </remarks>
public static class OpenApiV2Protobuf
{
    /// <summary>
    /// The type the answer is labelled with, as kube-apiserver labels it: the dotted form. The '@' of the form clients
    /// ask for is no MIME token character, and kubectl's Go mime parser refuses it ("unexpected content after media subtype").
    /// </summary>
    public const string MediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    // What kubectl sends in Accept; kube-apiserver takes either.
    private const string RequestedMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private static readonly Lazy<byte[]> BuiltIn = new(() => Encode(BuiltInSchemas.Instance.Document.RootElement));

    /// <summary>The built-in document (the one /openapi/v2 serves as JSON), encoded once.</summary>
    public static byte[] BuiltInDocument => BuiltIn.Value;

    /// <summary>
    /// Whether an Accept header prefers the protobuf document: the first media range that names either form decides,
    /// and JSON (or any type, <c>*/*</c>) named before the protobuf type keeps the JSON document.
    /// </summary>
    public static bool Preferred(string? accept)
    {
        foreach (var range in (accept ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var type = range.Split(';', 2)[0].Trim();
            if (type.Equals(RequestedMediaType, StringComparison.OrdinalIgnoreCase) || type.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (type is "application/json" or "*/*" or "application/*")
            {
                return false;
            }
        }
        return false;
    }

    public static byte[] Encode(JsonElement document)
    {
        var root = new Proto3Writer().String(1, Text(document, "swagger"));
        if (document.TryGetProperty("info", out var info))
        {
            root.Message(2, new Proto3Writer().String(1, Text(info, "title")).String(2, Text(info, "version")).String(3, Text(info, "description")));
        }
        if (document.TryGetProperty("definitions", out var definitions))
        {
            root.Message(9, NamedSchemas(definitions));
        }
        Extensions(root, 16, document);
        return root.ToArray();
    }

    private static Proto3Writer Schema(JsonElement schema)
    {
        var message = new Proto3Writer();
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return message;
        }
        message.String(1, Text(schema, "$ref")).String(2, Text(schema, "format")).String(3, Text(schema, "title")).String(4, Text(schema, "description"));
        Any(message, 5, schema, "default");
        message.Double(6, Number(schema, "multipleOf")).Double(7, Number(schema, "maximum")).Bool(8, Flag(schema, "exclusiveMaximum"))
            .Double(9, Number(schema, "minimum")).Bool(10, Flag(schema, "exclusiveMinimum"))
            .Int64(11, (long)Number(schema, "maxLength")).Int64(12, (long)Number(schema, "minLength")).String(13, Text(schema, "pattern"))
            .Int64(14, (long)Number(schema, "maxItems")).Int64(15, (long)Number(schema, "minItems")).Bool(16, Flag(schema, "uniqueItems"))
            .Int64(17, (long)Number(schema, "maxProperties")).Int64(18, (long)Number(schema, "minProperties"));
        foreach (var required in Items(schema, "required"))
        {
            message.String(19, required.GetString());
        }
        foreach (var value in Items(schema, "enum"))
        {
            message.Message(20, AnyOf(value));
        }
        if (schema.TryGetProperty("additionalProperties", out var additional))
        {
            // AdditionalPropertiesItem: a schema (1) or a boolean (2), a oneof, so false is written too.
            message.Message(21, additional.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? BooleanItem(additional.GetBoolean())
                : new Proto3Writer().Message(1, Schema(additional)));
        }
        if (schema.TryGetProperty("type", out var type))
        {
            var typeItem = new Proto3Writer();
            foreach (var name in type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().ToList() : [type])
            {
                typeItem.String(1, name.GetString());
            }
            message.Message(22, typeItem);
        }
        if (schema.TryGetProperty("items", out var items))
        {
            var itemsItem = new Proto3Writer();
            foreach (var item in items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToList() : [items])
            {
                itemsItem.Message(1, Schema(item));
            }
            message.Message(23, itemsItem);
        }
        foreach (var part in Items(schema, "allOf"))
        {
            message.Message(24, Schema(part));
        }
        if (schema.TryGetProperty("properties", out var properties))
        {
            message.Message(25, NamedSchemas(properties));
        }
        message.String(26, Text(schema, "discriminator")).Bool(27, Flag(schema, "readOnly"));
        if (schema.TryGetProperty("externalDocs", out var docs))
        {
            message.Message(29, new Proto3Writer().String(1, Text(docs, "description")).String(2, Text(docs, "url")));
        }
        Any(message, 30, schema, "example");
        Extensions(message, 31, schema);
        return message;
    }

    /// <summary>Definitions and Properties alike: repeated NamedSchema (name 1, value 2) in field 1, in the document's order.</summary>
    private static Proto3Writer NamedSchemas(JsonElement map)
    {
        var named = new Proto3Writer();
        foreach (var entry in map.EnumerateObject())
        {
            named.Message(1, new Proto3Writer().String(1, entry.Name).Message(2, Schema(entry.Value)));
        }
        return named;
    }

    /// <summary>Each x- member as a NamedAny (name 1, value 2).</summary>
    private static void Extensions(Proto3Writer message, int field, JsonElement owner)
    {
        foreach (var member in owner.EnumerateObject().Where(m => m.Name.StartsWith("x-", StringComparison.Ordinal)))
        {
            message.Message(field, new Proto3Writer().String(1, member.Name).Message(2, AnyOf(member.Value)));
        }
    }

    private static void Any(Proto3Writer message, int field, JsonElement owner, string name)
    {
        if (owner.TryGetProperty(name, out var value))
        {
            message.Message(field, AnyOf(value));
        }
    }

    /// <summary>gnostic's Any: the value as YAML text in field 2 (the google.protobuf.Any in field 1 is never used for documents).</summary>
    private static Proto3Writer AnyOf(JsonElement value) => new Proto3Writer().String(2, value.GetRawText() + "\n");

    // A oneof member is written even at its default, or a reader could not tell false from absent.
    private static Proto3Writer BooleanItem(bool value) => new Proto3Writer().OneofBool(2, value);

    private static IEnumerable<JsonElement> Items(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string? Text(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Number(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static bool Flag(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
