using System.Buffers;
using RecOperator.Onnx.Native;

namespace RecOperator.Onnx;

/// <summary>
/// A dense tensor over caller-owned memory. The engine reads inputs from and writes outputs into this memory directly
/// (pinned for the duration of a run, never copied). A buffer can be reused for smaller batches through
/// <see cref="SetShape"/> as long as the new shape fits its capacity, which is how a server keeps one buffer per slot.
/// </summary>
public abstract class TensorBuffer : IDisposable
{
    private readonly long[] _shape;
    private readonly OrtValueCache _valueCache = new();

    private protected TensorBuffer(TensorElementType elementType, ReadOnlySpan<long> shape, int capacity)
    {
        ElementType = elementType;
        Capacity = capacity;
        _shape = shape.ToArray();
        ElementCount = CheckedCount(_shape, capacity);
    }

    public TensorElementType ElementType { get; }

    /// <summary>The current shape.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Elements in the current shape.</summary>
    public int ElementCount { get; private set; }

    /// <summary>Elements the underlying memory can hold.</summary>
    public int Capacity { get; }

    /// <summary>Bytes of the current shape's elements.</summary>
    public long ByteLength => (long)ElementCount * TensorElementTypes.SizeOf(ElementType);

    /// <summary>Changes the shape in place (same rank, at most <see cref="Capacity"/> elements); allocates nothing.</summary>
    public void SetShape(ReadOnlySpan<long> shape)
    {
        if (shape.Length != _shape.Length)
        {
            throw new ArgumentException($"shape rank {shape.Length} differs from the buffer's rank {_shape.Length}", nameof(shape));
        }
        ElementCount = CheckedCount(shape, Capacity);
        shape.CopyTo(_shape);
    }

    /// <summary>"[4, 13]".</summary>
    public string ShapeText => "[" + string.Join(", ", _shape) + "]";

    internal long[] ShapeArray => _shape;

    internal OrtValueCache ValueCache => _valueCache;

    /// <summary>Pins the memory so native code can use it; dispose the handle to unpin.</summary>
    public abstract MemoryHandle Pin();

    /// <summary>A buffer over an existing array (no copy).</summary>
    public static TensorBuffer<T> Over<T>(T[] data, params long[] shape) where T : unmanaged => new(data, shape);

    /// <summary>A zeroed buffer on the pinned object heap: its address never moves, so the engine can reuse its native value.</summary>
    public static TensorBuffer<T> AllocatePinned<T>(params long[] shape) where T : unmanaged =>
        new(GC.AllocateArray<T>(CheckedCount(shape, int.MaxValue), pinned: true), shape);

    /// <summary>A zeroed buffer of a runtime-chosen element type.</summary>
    public static TensorBuffer Allocate(TensorElementType type, long[] shape) => type switch
    {
        TensorElementType.Float => AllocatePinned<float>(shape),
        TensorElementType.Float16 => AllocatePinned<Half>(shape),
        TensorElementType.Double => AllocatePinned<double>(shape),
        TensorElementType.Int64 => AllocatePinned<long>(shape),
        TensorElementType.Int32 => AllocatePinned<int>(shape),
        TensorElementType.Int8 => AllocatePinned<sbyte>(shape),
        TensorElementType.UInt8 => AllocatePinned<byte>(shape),
        TensorElementType.Bool => AllocatePinned<bool>(shape),
        _ => throw new NotSupportedException($"tensor element type {type} is not supported by this binding"),
    };

    /// <summary>The current elements as bytes, for copying outputs the engine allocated.</summary>
    internal abstract Span<byte> Bytes();

    public void Dispose()
    {
        _valueCache.Dispose();
        GC.SuppressFinalize(this);
    }

    private static int CheckedCount(ReadOnlySpan<long> shape, int capacity)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] has a negative dimension", nameof(shape));
            }
            count *= dim;
            if (count > capacity)
            {
                throw new ArgumentException(
                    $"shape [{string.Join(", ", shape.ToArray())}] needs more elements than the buffer's capacity {capacity}", nameof(shape));
            }
        }
        return (int)count;
    }
}
