namespace RecOperator.Onnx.Native;

/// <summary>
/// The native tensor value last created over a <see cref="TensorBuffer"/>. A value records the memory address and
/// shape, so it is reused only while both are unchanged: always true for pinned-heap buffers, which makes repeated
/// runs over the same buffers free of native allocation. Anything else gets a fresh value, and the old one is freed.
/// </summary>
internal sealed unsafe class OrtValueCache : IDisposable
{
    private readonly Lock _gate = new();
    private OrtValueHandle? _value;
    private nint _address;
    private long _byteLength;
    private long[] _shape = [];

    public nint GetOrCreate(OrtApi api, nint memoryInfo, void* address, long byteLength, long[] shape, TensorElementType type)
    {
        lock (_gate)
        {
            if (_value is not null && _address == (nint)address && _byteLength == byteLength && shape.AsSpan().SequenceEqual(_shape))
            {
                return _value.DangerousGetHandle();
            }
            _value?.Dispose();
            nint created;
            fixed (long* dims = shape)
            {
                created = api.CreateTensorOverMemory(memoryInfo, address, byteLength, dims, shape.Length, (int)type);
            }
            _value = new OrtValueHandle(created);
            _address = (nint)address;
            _byteLength = byteLength;
            if (_shape.Length != shape.Length)
            {
                _shape = new long[shape.Length];
            }
            shape.CopyTo(_shape, 0);
            return created;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _value?.Dispose();
            _value = null;
        }
    }
}
