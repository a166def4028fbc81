using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Crds.Schema;

/// <summary>The JSON names System.Text.Json gives properties and enum members, so schemas match serialized objects.</summary>
internal static class JsonNames
{
    public static string Of(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    public static string Of(FieldInfo enumMember) =>
        enumMember.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? enumMember.Name;

    /// <summary>The serialized properties of a type, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .OrderBy(p => p.MetadataToken);
}
