using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// The memory pool Kestrel reads requests into and writes answers from (it takes its pools from the
/// <see cref="IMemoryPoolFactory{T}"/> in DI), with blocks of <see cref="BlockSize"/> bytes instead of its own 4 KiB.
/// A socket read fills at most what is left of one block, so with 4 KiB blocks a 66 KB request (256 rows of
/// dlrm-small) took about 30 receive calls. Measured side by side (bench/Pod p, no-op model, 2 rounds), the pod's CPU
/// per request fell by about a quarter: gRPC 16 rows 48.8 -> 35.9 us, 256 rows 265 -> 197 us; REST 16 rows 129 -> 102 us.
/// </summary>
/// <remarks>
/// Free blocks are kept up to <see cref="MaxRetainedBlocks"/>; past that a returned block is left to the collector, so
/// a burst of many concurrent streams does not pin its peak memory for the life of the pod.
/// </remarks>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    public const int MaxRetainedBlocks = 256;

    private readonly ConcurrentQueue<Block> _free = new();

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks waiting to be rented again.</summary>
    public int FreeBlocks => _free.Count;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        // Pipes ask for more than MaxBufferSize from the array pool instead; anything else is a caller's mistake.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        var block = _free.TryDequeue(out var free) ? free : new Block(this);
        block.Rented = 1;
        return block;
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (_free.Count < MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        // Pinned (in the pinned object heap): sockets pin the memory they read into for the length of each call.
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public int Rented;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // Returned once per rent, so a second Dispose cannot hand the same block to two renters.
            if (Interlocked.Exchange(ref Rented, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }

    /// <summary>Registered in the pod's services, where Kestrel looks for its pools.</summary>
    public sealed class Factory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
    }
}
