using RecOperator.Operator.Autoscaling.Loop;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>One Warning per metrics outage, once ready pods have gone unmeasured for a whole window.</summary>
public sealed class MetricsOutageTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Track_MeasuredOrNothingReady_NoOutage(bool measured, bool serving)
    {
        var ongoing = new MetricsOutage(Start, Warned: false);

        MetricsOutage.Track(ongoing, measured, serving, Start.AddMinutes(5), Window).Should().Be(((MetricsOutage?)null, false));
    }

    [Fact]
    public void Track_ReadyPodsUnmeasured_WarnsOnceAfterAWholeWindow()
    {
        var (first, warnFirst) = MetricsOutage.Track(null, measured: false, serving: true, Start, Window);
        var (early, warnEarly) = MetricsOutage.Track(first, measured: false, serving: true, Start.AddSeconds(55), Window);
        var (due, warnDue) = MetricsOutage.Track(early, measured: false, serving: true, Start.AddSeconds(60), Window);
        var (_, warnLater) = MetricsOutage.Track(due, measured: false, serving: true, Start.AddMinutes(10), Window);

        (warnFirst, warnEarly, warnDue, warnLater).Should().Be((false, false, true, false), "a pod that just became ready may not have two scrapes yet");
        due.Should().Be(new MetricsOutage(Start, Warned: true));
    }
}
