using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The floor only ever raises the pool's minimum workers, to the asked number per core.</summary>
public sealed class ThreadPoolFloorTests
{
    [Fact]
    public void Raise_BelowAndAboveTheCurrentMinimum_OnlyEverRaisesIt()
    {
        ThreadPool.GetMinThreads(out var before, out var portsBefore);

        ThreadPoolFloor.Raise(workersPerCore: 0);
        ThreadPool.GetMinThreads(out var afterZero, out _);
        ThreadPoolFloor.Raise(workersPerCore: 8);
        ThreadPool.GetMinThreads(out var afterEight, out var portsAfter);

        afterZero.Should().Be(before, "a lower floor never lowers the minimum");
        afterEight.Should().Be(Math.Max(before, 8 * Environment.ProcessorCount));
        portsAfter.Should().Be(portsBefore, "only worker threads are raised");
    }
}
