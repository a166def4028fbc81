using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using K = RecOperator.Crds.Schema.SchemaKeywords;

namespace RecOperator.Crds.Schema;

/// <summary>
/// Builds the structural OpenAPI v3 schema of a resource from its C# types by reflection: JSON names, types,
/// enums, required members (the C# <c>required</c> modifier), constraint attributes, CEL rules, descriptions and
/// defaults (property initializers, read from a fresh instance). The types are the single source of truth.
/// </summary>
public static class StructuralSchemaBuilder
{
    private const int MaxDepth = 32;

    /// <summary>The openAPIV3Schema of a resource type: apiVersion, kind, metadata, spec and status.</summary>
    public static JsonObject ForResource(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var root = ForObject(resourceType, depth: 0);
        var properties = (JsonObject)root[K.Properties]!;

        // apiVersion and kind are the API server's to fill in; metadata is validated by the server itself, and a
        // CRD schema may only say it is an object.
        properties["apiVersion"] = new JsonObject { [K.Type] = K.String };
        properties["kind"] = new JsonObject { [K.Type] = K.String };
        properties["metadata"] = new JsonObject { [K.Type] = K.Object };
        return root;
    }

    private static JsonObject ForObject(Type type, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"schema of {type.Name} nests deeper than {MaxDepth} levels (recursive type?)");
        }

        var schema = new JsonObject { [K.Type] = K.Object };
        AddDescription(schema, type.GetCustomAttribute<DescriptionAttribute>());
        var defaults = TryCreate(type);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in JsonNames.SerializedProperties(type))
        {
            var name = JsonNames.Of(property);
            var isRequired = property.GetCustomAttribute<RequiredMemberAttribute>() is not null;
            var propertySchema = ForProperty(property, depth + 1);
            if (!isRequired && defaults is not null && DefaultOf(property, defaults) is JsonNode value)
            {
                propertySchema[K.Default] = value;
            }

            properties[name] = propertySchema;
            if (isRequired)
            {
                required.Add(name);
            }
        }

        schema[K.Properties] = properties;
        if (required.Count > 0)
        {
            schema[K.Required] = required;
        }

        var rules = type.GetCustomAttributes<CelRuleAttribute>().ToList();
        if (rules.Count > 0)
        {
            schema[K.Validations] = new JsonArray(rules.Select(RuleNode).ToArray());
        }

        return schema;
    }

    private static JsonNode RuleNode(CelRuleAttribute rule)
    {
        var node = new JsonObject { [K.Rule] = rule.Rule, [K.Message] = rule.Message };
        if (rule.FieldPath is not null)
        {
            node[K.FieldPath] = rule.FieldPath;
        }

        return node;
    }

    private static JsonObject ForProperty(PropertyInfo property, int depth)
    {
        var schema = ForType(property.PropertyType, depth);
        AddDescription(schema, property.GetCustomAttribute<DescriptionAttribute>(), overwrite: true);
        ConstraintAttributes.ApplyTo(schema, property);
        return schema;
    }

    private static JsonObject ForType(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { [K.Type] = K.String };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { [K.Type] = K.Boolean };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { [K.Type] = K.Integer, [K.Format] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { [K.Type] = K.Number };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new JsonObject { [K.Type] = K.String, [K.Format] = "date-time" };
        }

        if (type.IsEnum)
        {
            var schema = new JsonObject { [K.Type] = K.String };
            AddDescription(schema, type.GetCustomAttribute<DescriptionAttribute>());
            schema[K.Enum] = new JsonArray(type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (JsonNode)JsonNames.Of(f)).ToArray());
            return schema;
        }

        if (type == typeof(IntOrString) || type == typeof(ResourceQuantity))
        {
            var schema = new JsonObject
            {
                [K.AnyOf] = new JsonArray(new JsonObject { [K.Type] = K.Integer }, new JsonObject { [K.Type] = K.String }),
                [K.IntOrString] = true,
            };
            if (type == typeof(ResourceQuantity))
            {
                schema[K.Pattern] = K.QuantityPattern;
            }

            return schema;
        }

        if (typeof(JsonNode).IsAssignableFrom(type) || type == typeof(JsonElement))
        {
            return new JsonObject { [K.PreserveUnknownFields] = true };
        }

        if (CollectionTypes.DictionaryValueType(type) is { } valueType)
        {
            return new JsonObject { [K.Type] = K.Object, [K.AdditionalProperties] = ForType(valueType, depth + 1) };
        }

        if (CollectionTypes.ListItemType(type) is { } itemType)
        {
            return new JsonObject { [K.Type] = K.Array, [K.Items] = ForType(itemType, depth + 1) };
        }

        return ForObject(type, depth);
    }

    private static void AddDescription(JsonObject schema, DescriptionAttribute? description, bool overwrite = false)
    {
        if (description is not null && (overwrite || schema[K.Description] is null))
        {
            schema[K.Description] = description.Description;
        }
    }

    private static object? TryCreate(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);

    // A default is what an absent property reads as in C#: its initializer (or the value type's zero), empty
    // collections included. Status is defaulted too, so typed status lists are never null.
    private static JsonNode? DefaultOf(PropertyInfo property, object instance)
    {
        var value = property.GetValue(instance);
        return value switch
        {
            null => null,
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            int i => JsonValue.Create(i),
            long l => JsonValue.Create(l),
            double d => JsonValue.Create(d),
            Enum e => JsonValue.Create(JsonNames.Of(e.GetType().GetField(e.ToString())!)),
            System.Collections.IDictionary => new JsonObject(),
            System.Collections.IEnumerable => new JsonArray(),
            _ when value.GetType().IsClass => new JsonObject(),
            _ => null,
        };
    }
}
