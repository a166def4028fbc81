using RecOperator.Bench.Load;

namespace RecOperator.Bench.Tests;

public sealed class LoadResultTests
{
    [Fact]
    public void Plus_TwoSlicesOfOneLoad_AddCountsTimeRowsAndCpuAndKeepEveryLatency()
    {
        var first = new LoadResult("pod gRPC", 100, 1, TimeSpan.FromSeconds(2), [1.0, 2.0], 6_400, 0.5);
        var second = new LoadResult("pod gRPC", 300, 2, TimeSpan.FromSeconds(2), [3.0], 19_200, 1.5);

        var whole = first.Plus(second);

        whole.Should().BeEquivalentTo(new { Name = "pod gRPC", Completed = 400, Failed = 3, Duration = TimeSpan.FromSeconds(4), Rows = 25_600L, CpuSeconds = 2.0 });
        whole.LatenciesMs.Should().Equal(1.0, 2.0, 3.0);
        whole.RequestsPerSecond.Should().Be(100, "400 requests in 4 s, not the mean of the slices' rates");
        whole.RowsPerCpuSecond.Should().Be(12_800);
    }
}
