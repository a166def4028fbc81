using RecOperator.DevCluster.NodeAgent;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>A ReplicaSet that keeps failing waits longer each time; success or a new generation retries at once.</summary>
public sealed class FailureBackoffTests
{
    [Fact]
    public void Delay_Failures_DoublesUpToTheCap()
    {
        FailureBackoff.Delay(1).Should().Be(FailureBackoff.BaseDelay);
        FailureBackoff.Delay(3).Should().Be(FailureBackoff.BaseDelay * 4);
        FailureBackoff.Delay(40).Should().Be(FailureBackoff.MaxDelay);
    }

    [Fact]
    public void IsReady_AfterFailures_WaitsOutTheDelay()
    {
        var time = new ManualTime();
        var backoff = new FailureBackoff(time);
        backoff.Record("uid", 1, succeeded: false);
        backoff.Record("uid", 1, succeeded: false);

        backoff.IsReady("uid", 1).Should().BeFalse();
        time.Now += FailureBackoff.Delay(2) - TimeSpan.FromMilliseconds(1);
        backoff.IsReady("uid", 1).Should().BeFalse();
        time.Now += TimeSpan.FromMilliseconds(1);
        backoff.IsReady("uid", 1).Should().BeTrue();
    }

    [Fact]
    public void IsReady_NewGenerationOrSuccess_RetriesAtOnce()
    {
        var backoff = new FailureBackoff(new ManualTime());
        backoff.Record("uid", 1, succeeded: false);

        backoff.IsReady("uid", 2).Should().BeTrue("a spec update is taken at once");
        backoff.Record("uid", 1, succeeded: true);
        backoff.IsReady("uid", 1).Should().BeTrue();
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
