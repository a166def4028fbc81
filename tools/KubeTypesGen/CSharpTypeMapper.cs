using System.Text.Json;

namespace RecOperator.KubeTypesGen;

/// <summary>Maps a property schema to a C# type.</summary>
public sealed class CSharpTypeMapper(TypeGraph graph)
{
    public PropertyType Map(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var key = reference.GetString()!.Split('/')[^1];
            if (SchemaRoots.Mapped.TryGetValue(key, out var mapped))
            {
                SchemaRoots.PropertyConverters.TryGetValue(key, out var converter);
                return new PropertyType(mapped, IsValueTypeName(mapped), converter);
            }

            return new PropertyType(graph.NameOf(key), IsValueType: false);
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return type switch
        {
            "string" => format switch
            {
                "byte" => new PropertyType("byte[]", IsValueType: false),
                "date-time" => new PropertyType("DateTimeOffset", IsValueType: true, "KubeTimeConverter"),
                "int-or-string" => new PropertyType("IntOrString", IsValueType: true),
                _ => new PropertyType("string", IsValueType: false),
            },
            "integer" => new PropertyType(format == "int64" ? "long" : "int", IsValueType: true),
            "number" => new PropertyType("double", IsValueType: true),
            "boolean" => new PropertyType("bool", IsValueType: true),
            "array" => new PropertyType($"IList<{Element(schema.GetProperty("items"))}>", IsValueType: false),
            "object" when schema.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object =>
                new PropertyType($"IDictionary<string, {Element(values)}>", IsValueType: false),
            _ => new PropertyType("JsonNode", IsValueType: false),
        };
    }

    // Elements of lists and maps: nullable only where Kubernetes allows a null entry (it never does for these).
    private string Element(JsonElement schema) => Map(schema).Name;

    private static bool IsValueTypeName(string name) => name is "IntOrString" or "ResourceQuantity" or "DateTimeOffset";
}
