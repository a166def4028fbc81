using RecOperator.DevCluster.Bench;

namespace RecOperator.DevCluster.Tests;

/// <summary>The benchmark runs end to end at a tiny size on the real RecModel CRD (its numbers are for `recop devcluster bench`, not asserted).</summary>
public sealed class ScaleBenchmarkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devcluster-bench-test-").FullName;

    [Fact]
    public async Task RunAsync_SmallLoad_EveryWatcherReceivesEveryChange()
    {
        var result = await ScaleBenchmark.RunAsync(_directory, customResources: 12, deployments: 10, watchers: 3, changes: 8, CancellationToken.None);

        result.CustomResources.Should().Be(12);
        result.Deployments.Should().Be(10);
        result.RssMegabytes.Should().BePositive();
        result.WatchMaxMs.Should().BeGreaterThanOrEqualTo(result.WatchP99Ms).And.BeGreaterThanOrEqualTo(result.WatchP50Ms);
        result.DeliveredEvents.Should().Be(3 * 8);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
