using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>A request or response tensor as the protocol carries it: raw little-endian element bytes in row-major order.</summary>
public sealed record InferTensor(string Name, TensorElementType ElementType, long[] Shape, byte[] Data)
{
    /// <summary>Elements the shape holds.</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, dim) => count * dim);

    /// <summary>"[4, 13]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
