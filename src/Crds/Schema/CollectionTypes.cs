namespace RecOperator.Crds.Schema;

/// <summary>Recognises the list and map shapes the resource types use.</summary>
internal static class CollectionTypes
{
    /// <summary>The value type of a string-keyed dictionary, or null.</summary>
    public static Type? DictionaryValueType(Type type)
    {
        var args = GenericInterface(type, typeof(IReadOnlyDictionary<,>)) ?? GenericInterface(type, typeof(IDictionary<,>));
        return args is [var key, var value] && key == typeof(string) ? value : null;
    }

    /// <summary>The item type of a list (any IEnumerable&lt;T&gt; but string and dictionaries), or null.</summary>
    public static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        return GenericInterface(type, typeof(IEnumerable<>)) is { Length: 1 } args ? args[0] : null;
    }

    private static Type[]? GenericInterface(Type type, Type open)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == open)
        {
            return type.GetGenericArguments();
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == open)?.GetGenericArguments();
    }
}
