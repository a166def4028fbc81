using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.Tests;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_AnySizeUpToABlock_GivesAWholeBlockAndReusesReturnedOnes()
    {
        using var pool = new LargeBlockMemoryPool();

        var first = pool.Rent(2048);
        first.Memory.Length.Should().Be(LargeBlockMemoryPool.BlockSize);
        first.Memory.Span[0] = 42;
        first.Dispose();
        pool.FreeBlocks.Should().Be(1);

        using var again = pool.Rent();
        again.Memory.Span[0].Should().Be(42, "the returned block is rented again");
        pool.FreeBlocks.Should().Be(0);
    }

    [Fact]
    public void Dispose_Twice_ReturnsTheBlockOnce()
    {
        using var pool = new LargeBlockMemoryPool();
        var block = pool.Rent();

        block.Dispose();
        block.Dispose();

        pool.FreeBlocks.Should().Be(1);
        using var a = pool.Rent();
        using var b = pool.Rent();
        a.Memory.Equals(b.Memory).Should().BeFalse("two renters never share a block");
    }

    [Fact]
    public void Return_PastTheRetentionCap_LeavesTheRestToTheCollector()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(b => b.Dispose());

        pool.FreeBlocks.Should().Be(LargeBlockMemoryPool.MaxRetainedBlocks);
    }

    [Fact]
    public void Rent_MoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool();

        pool.Invoking(p => p.Rent(LargeBlockMemoryPool.BlockSize + 1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
