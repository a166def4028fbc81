namespace RecOperator.Onnx;

/// <summary>
/// A model input or output: name, element type and shape. A dimension of -1 is dynamic; its symbolic name (such as
/// "batch"), when the model gives one, is in <see cref="SymbolicDimensions"/> at the same position.
/// </summary>
public sealed record TensorMetadata(
    string Name,
    TensorElementType ElementType,
    IReadOnlyList<long> Dimensions,
    IReadOnlyList<string?> SymbolicDimensions)
{
    /// <summary>True when every dimension is known, so a caller can pre-allocate the tensor.</summary>
    public bool IsFixedShape => Dimensions.All(d => d >= 0);

    /// <summary>The shape as people read it: "[batch, 13]".</summary>
    public string ShapeText =>
        "[" + string.Join(", ", Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : SymbolicDimensions.ElementAtOrDefault(i) ?? "?")) + "]";

    /// <summary>"Float [batch, 13]".</summary>
    public string Describe() => $"{ElementType} {ShapeText}";
}
