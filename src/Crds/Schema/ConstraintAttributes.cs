using System.Reflection;
using System.Text.Json.Nodes;
using K = RecOperator.Crds.Schema.SchemaKeywords;

namespace RecOperator.Crds.Schema;

/// <summary>Writes a property's constraint attributes into its schema node.</summary>
internal static class ConstraintAttributes
{
    public static void ApplyTo(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<MinimumAttribute>() is { } min)
        {
            schema[K.Minimum] = min.Value;
            if (min.Exclusive)
            {
                schema[K.ExclusiveMinimum] = true;
            }
        }

        if (property.GetCustomAttribute<MaximumAttribute>() is { } max)
        {
            schema[K.Maximum] = max.Value;
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema[K.Pattern] = pattern.Regex;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            schema[K.MaxLength] = maxLength.Value;
        }

        if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems)
        {
            schema[K.MinItems] = minItems.Value;
        }

        if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
        {
            schema[K.MaxItems] = maxItems.Value;
        }

        if (property.GetCustomAttribute<ItemPatternAttribute>() is { } itemPattern && schema[K.Items] is JsonObject items)
        {
            items[K.Pattern] = itemPattern.Regex;
        }

        if (property.GetCustomAttribute<ItemMaxLengthAttribute>() is { } itemMaxLength && schema[K.Items] is JsonObject stringItems)
        {
            stringItems[K.MaxLength] = itemMaxLength.Value;
        }

        if (property.GetCustomAttribute<ListSetAttribute>() is not null)
        {
            schema[K.ListType] = "set";
        }

        if (property.GetCustomAttribute<ListMapKeyAttribute>() is { } listMapKey)
        {
            schema[K.ListType] = "map";
            schema[K.ListMapKeys] = new JsonArray(listMapKey.Key);
        }
    }
}
