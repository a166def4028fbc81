using System.Text.Json.Nodes;
using K = RecOperator.Crds.Schema.SchemaKeywords;

namespace RecOperator.Crds.Schema;

/// <summary>
/// Fills absent fields with their schema defaults, top-down, as the API server defaults custom resources: an
/// object defaulted to <c>{}</c> then receives its own fields' defaults.
/// </summary>
/// <remarks>
/// Typed deserialization must see defaulted JSON: System.Text.Json's source generator sets every init-only
/// property, so an absent property would get null or zero instead of its C# initializer.
/// </remarks>
public static class SchemaDefaulter
{
    public static void Apply(JsonNode? node, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        switch (node)
        {
            case JsonObject obj:
                if (schema[K.Properties] is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (!obj.ContainsKey(name) && propertySchema?[K.Default] is JsonNode value)
                        {
                            obj[name] = value.DeepClone();
                        }

                        if (obj[name] is JsonNode child && propertySchema is JsonObject childSchema)
                        {
                            Apply(child, childSchema);
                        }
                    }
                }
                else if (schema[K.AdditionalProperties] is JsonObject valueSchema)
                {
                    foreach (var (_, value) in obj)
                    {
                        Apply(value, valueSchema);
                    }
                }

                break;
            case JsonArray array when schema[K.Items] is JsonObject itemSchema:
                foreach (var item in array)
                {
                    Apply(item, itemSchema);
                }

                break;
        }
    }
}
