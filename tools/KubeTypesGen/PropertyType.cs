namespace RecOperator.KubeTypesGen;

/// <summary>The C# type of one property and, when the wire form needs one, the converter to put on it.</summary>
public sealed record PropertyType(string Name, bool IsValueType, string? Converter = null)
{
    public string Nullable => Name + "?";
}
