using System.Runtime.InteropServices;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Batching;

/// <summary>The current elements of a tensor buffer as bytes, for copying requests in and results out without boxing.</summary>
internal static class TensorBytes
{
    public static Span<byte> Of(TensorBuffer buffer) => buffer switch
    {
        TensorBuffer<float> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<Half> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<double> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<long> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<int> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<sbyte> b => MemoryMarshal.AsBytes(b.Span),
        TensorBuffer<byte> b => b.Span,
        TensorBuffer<bool> b => MemoryMarshal.AsBytes(b.Span),
        _ => throw new NotSupportedException($"tensor element type {buffer.ElementType} is not served"),
    };

    /// <summary>
    /// Reuses <paramref name="buffer"/> when it can hold <paramref name="shape"/> (same type and rank, enough capacity);
    /// otherwise replaces it with a pinned one of at least <paramref name="minRows"/> rows, so batches rarely reallocate.
    /// </summary>
    public static TensorBuffer Ensure(ref TensorBuffer? buffer, TensorElementType type, long[] shape, int minRows)
    {
        var needed = 1L;
        foreach (var dim in shape)
        {
            needed *= dim;
        }
        if (buffer is null || buffer.ElementType != type || buffer.Shape.Length != shape.Length || buffer.Capacity < needed)
        {
            buffer?.Dispose();
            var allocation = (long[])shape.Clone();
            if (allocation.Length > 0)
            {
                allocation[0] = Math.Max(allocation[0], minRows);
            }
            buffer = TensorBuffer.Allocate(type, allocation);
        }
        buffer.SetShape(shape);
        return buffer;
    }
}
