using RecOperator.Demo.Load;
using RecOperator.Demo.Summary;

namespace RecOperator.Demo.Tests;

public sealed class DemoSummaryCalculatorTests
{
    private static readonly TimeSpan StepStart = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StepEnd = TimeSpan.FromSeconds(60);

    [Fact]
    public void Compute_ReplicasRiseAndLatencyRecovers_RecoveryIsWhenBothHold()
    {
        // 2 replicas before the step; the third is ready at 40 s; latency is 80 ms until 44 s, then 10 ms.
        var timeline = Enumerable.Range(0, 90).Select(s => new TimelinePoint(TimeSpan.FromSeconds(s),
            s < 36 ? 2 : s < 75 ? 3 : 2, s < 40 ? 2 : s < 75 ? 3 : 2)).ToList();
        var outcomes = Enumerable.Range(0, 900).Select(i => TimeSpan.FromSeconds(i / 10.0))
            .Select(t => new RequestOutcome(t, t >= StepStart && t < TimeSpan.FromSeconds(44) ? 80 : 10, true)).ToList();

        var summary = DemoSummaryCalculator.Compute(25, StepStart, StepEnd, timeline, outcomes);

        summary.ReplicasBeforeStep.Should().Be(2);
        summary.MaxReplicas.Should().Be(3);
        summary.FinalReplicas.Should().Be(2);
        // At 48 s the trailing 5 s window [43, 48) still holds one second of 80 ms answers; at 49 s it is clean.
        summary.RecoverySeconds.Should().Be(19);
        summary.P99AfterRecoveryMs.Should().Be(10);
        summary.SloWindowsAfterRecovery.Should().Be(1, "[49, 54) and [54, 59) are both within the SLO");
        summary.Requests.Should().Be(900);
        summary.Errors.Should().Be(0);
        // Every 5 s of the run: 50 requests each; 80 ms answers fill [30, 40) and part of [40, 45).
        summary.P99Windows.Should().HaveCount(18).And.OnlyContain(w => w.Requests == 50 && w.Errors == 0);
        summary.P99Windows.Where(w => w.P99Ms > 25).Select(w => w.FromSeconds).Should().Equal(30, 35, 40);
    }

    [Fact]
    public void Compute_ReplicasNeverRise_NoRecovery()
    {
        var timeline = Enumerable.Range(0, 90).Select(s => new TimelinePoint(TimeSpan.FromSeconds(s), 2, 2)).ToList();
        var outcomes = new List<RequestOutcome> { new(TimeSpan.FromSeconds(31), 5, true), new(TimeSpan.FromSeconds(32), 0, false) };

        var summary = DemoSummaryCalculator.Compute(25, StepStart, StepEnd, timeline, outcomes);

        summary.RecoverySeconds.Should().BeNull();
        summary.P99AfterRecoveryMs.Should().BeNull();
        summary.Errors.Should().Be(1);
    }
}
