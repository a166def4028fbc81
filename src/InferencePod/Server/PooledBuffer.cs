using System.Buffers;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// A request body in an array rented from the shared pool. Input tensors are slices of it rather than copies, so
/// whoever holds it must keep it until the batcher has copied those rows into its engine buffers; dispose returns the
/// array, once, however many callers dispose.
/// </summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[]? _array;

    private PooledBuffer(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    /// <summary>The body's bytes (the rented array may be longer).</summary>
    public Memory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(PooledBuffer))).AsMemory(0, Length);

    public static PooledBuffer Rent(int length) => new(ArrayPool<byte>.Shared.Rent(length), length);

    /// <summary>Copies <paramref name="bytes"/> into a rented array.</summary>
    public static PooledBuffer CopyOf(in ReadOnlySequence<byte> bytes)
    {
        var buffer = Rent(checked((int)bytes.Length));
        bytes.CopyTo(buffer.Memory.Span);
        return buffer;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
