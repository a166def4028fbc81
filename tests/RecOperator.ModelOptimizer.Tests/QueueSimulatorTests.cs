using RecOperator.ModelOptimizer.Profiling;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class QueueSimulatorTests
{
    [Fact]
    public void Capacity_OneMillisecondRunsWithoutBatching_BelowTheServiceRateButClose()
    {
        var times = new ServiceTimes([1.0], [1.0]);

        var (qps, p99) = QueueSimulator.Capacity(times, p99TargetMs: 10, maxQueueDelayMs: 0);

        qps.Should().BeInRange(600, 1000, "one server of 1 ms runs cannot exceed 1000 QPS and queues well before");
        p99.Should().BeLessThanOrEqualTo(10);
    }

    [Fact]
    public void Capacity_BatchesThatCostLessPerRequest_RaiseCapacityAboveTheSingleRunRate()
    {
        var single = QueueSimulator.Capacity(new ServiceTimes([1.0], [1.0]), 10, 2).Qps;

        var batched = QueueSimulator.Capacity(new ServiceTimes([1.0], [1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4]), 10, 2).Qps;

        batched.Should().BeGreaterThan(1000).And.BeGreaterThan(single * 1.5);
    }

    [Fact]
    public void P99LatencyMs_LightLoadWithQueueDelay_RunPlusTheWaitForTheBatch()
    {
        var p99 = QueueSimulator.P99LatencyMs(1, new ServiceTimes([1.0], [1.0, 1.5]), maxQueueDelayMs: 2, requests: 1000, seed: 3);

        p99.Should().BeApproximately(3.0, 1e-9, "at 1 QPS every request waits the full 2 ms for a partner, then runs 1 ms");
    }
}
