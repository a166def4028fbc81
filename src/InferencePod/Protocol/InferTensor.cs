using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>A request or response tensor as the protocol carries it: raw little-endian element bytes in row-major order.</summary>
/// <param name="Data">The element bytes; a request's may be a slice of its pooled body, valid until the request is answered.</param>
public sealed record InferTensor(string Name, TensorElementType ElementType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Elements the shape holds (a loop: this runs for every input of every request).</summary>
    public long ElementCount
    {
        get
        {
            var count = 1L;
            foreach (var dim in Shape)
            {
                count *= dim;
            }
            return count;
        }
    }

    /// <summary>"[4, 13]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
