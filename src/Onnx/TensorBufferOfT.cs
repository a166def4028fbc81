using System.Buffers;
using System.Runtime.InteropServices;

namespace RecOperator.Onnx;

/// <summary>A dense tensor of <typeparamref name="T"/> over caller-owned memory.</summary>
public sealed class TensorBuffer<T> : TensorBuffer where T : unmanaged
{
    private readonly Memory<T> _storage;

    public TensorBuffer(Memory<T> storage, params long[] shape)
        : base(ElementTypeOf(), shape, storage.Length) => _storage = storage;

    /// <summary>The elements of the current shape.</summary>
    public Memory<T> Memory => _storage[..ElementCount];

    /// <summary>The elements of the current shape.</summary>
    public Span<T> Span => _storage.Span[..ElementCount];

    public override MemoryHandle Pin() => _storage.Pin();

    internal override Span<byte> Bytes() => MemoryMarshal.AsBytes(Span);

    private static TensorElementType ElementTypeOf()
    {
        var type = TensorElementTypes.Of<T>();
        return type == TensorElementType.Undefined
            ? throw new NotSupportedException($"{typeof(T).Name} is not an ONNX tensor element type")
            : type;
    }
}
