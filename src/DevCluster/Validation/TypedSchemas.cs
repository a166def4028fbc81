using System.Text.Json;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// Every definition of the official OpenAPI v2 document (<see cref="BuiltInSchemas"/>) compiled once into
/// <see cref="TypedField"/>s, so a write is decoded by dictionary lookups instead of scanning the document's JSON. The
/// field names and types all come from the document; none are written here by hand.
/// </summary>
public sealed class TypedSchemas
{
    private const string QuantityDefinition = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private const string MicroTimeDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    private const string ObjectMetaDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static readonly Lazy<TypedSchemas> Shared = new(() => new TypedSchemas(BuiltInSchemas.Instance));

    private readonly BuiltInSchemas _schemas;
    private readonly Dictionary<string, TypedField> _definitions = new(StringComparer.Ordinal);

    private TypedSchemas(BuiltInSchemas schemas)
    {
        _schemas = schemas;
        foreach (var definition in schemas.Definitions.EnumerateObject())
        {
            _definitions[definition.Name] = new TypedField(ShortName(definition.Name)) { Definition = definition.Name };
        }
        foreach (var definition in schemas.Definitions.EnumerateObject())
        {
            var field = _definitions[definition.Name];
            Describe(field, definition.Value);
            if (definition.Name == QuantityDefinition)
            {
                field.Shape = FieldShape.Quantity;
            }
            else if (definition.Name == MicroTimeDefinition)
            {
                field.Shape = FieldShape.MicroTime;
            }
        }

        // A custom resource is decoded as the real server decodes it: its type and object metadata into their Go
        // types, the rest by the CRD's structural schema (StructuralSchema).
        var text = new TypedField("string") { Shape = FieldShape.String };
        CustomResource = new TypedField("CustomResource")
        {
            Shape = FieldShape.Struct,
            KeepsOtherFields = true,
            Fields = new Dictionary<string, TypedField>(StringComparer.Ordinal)
            {
                ["apiVersion"] = text,
                ["kind"] = text,
                ["metadata"] = _definitions[ObjectMetaDefinition],
            },
        };
    }

    public static TypedSchemas Instance => Shared.Value;

    /// <summary>Type and metadata of a custom resource (or of a kind the document does not hold); other keys are left alone.</summary>
    public TypedField CustomResource { get; }

    /// <summary>The whole kind for a built-in resource; <see cref="CustomResource"/> for custom ones.</summary>
    public TypedField For(ResourceType type) => (type.IsCustom ? null : ForKind(type.Group, type.Version, type.Kind)) ?? CustomResource;

    /// <summary>A kind the document defines; null for any other.</summary>
    public TypedField? ForKind(string group, string version, string kind) =>
        _schemas.DefinitionNameFor(group, version, kind) is { } name ? _definitions[name] : null;

    /// <summary>Fills <paramref name="field"/> from an inline schema (a definition's own, or a property's).</summary>
    private void Describe(TypedField field, JsonElement schema)
    {
        var type = String(schema, "type");
        var format = String(schema, "format");
        switch (type)
        {
            case "string":
                field.Shape = format switch
                {
                    "int-or-string" => FieldShape.IntOrString,
                    "date-time" => FieldShape.Time,
                    "byte" => FieldShape.Bytes,
                    _ => FieldShape.String,
                };
                break;
            case "integer":
                field.Shape = FieldShape.Integer;
                field.TypeName = format == "int32" ? "int32" : "int64";
                field.Minimum = format == "int32" ? int.MinValue : long.MinValue;
                field.Maximum = format == "int32" ? int.MaxValue : long.MaxValue;
                break;
            case "number":
                field.Shape = FieldShape.Number;
                break;
            case "boolean":
                field.Shape = FieldShape.Boolean;
                break;
            case "array":
                field.Shape = FieldShape.List;
                field.Element = schema.TryGetProperty("items", out var items) ? Compile(items) : new TypedField("any");
                break;
            case "object" when schema.TryGetProperty("properties", out var properties):
                field.Shape = FieldShape.Struct;
                field.Fields = properties.EnumerateObject().ToDictionary(p => p.Name, p => Compile(p.Value), StringComparer.Ordinal);
                field.Required = schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];
                break;
            case "object" when schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object:
                field.Shape = FieldShape.Map;
                field.Element = Compile(values);
                break;
            default:
                // Raw JSON, an empty struct the document leaves open, or a definition without a type.
                field.Shape = FieldShape.Any;
                break;
        }
    }

    private TypedField Compile(JsonElement schema)
    {
        if (Referenced(schema) is { } target)
        {
            return target;
        }
        var field = new TypedField(String(schema, "format") ?? String(schema, "type") ?? "any");
        Describe(field, schema);
        return field;
    }

    /// <summary>The definition a schema names by `$ref` (or by an `allOf` of one ref); null for an inline schema.</summary>
    private TypedField? Referenced(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return _definitions.GetValueOrDefault(reference.GetString()!.Replace("#/definitions/", "", StringComparison.Ordinal));
        }
        return schema.TryGetProperty("allOf", out var allOf) && allOf.GetArrayLength() == 1 ? Referenced(allOf[0]) : null;
    }

    private static string? String(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ShortName(string definition) => definition[(definition.LastIndexOf('.') + 1)..];
}
