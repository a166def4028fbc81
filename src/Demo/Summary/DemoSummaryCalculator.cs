using RecOperator.Demo.Load;

namespace RecOperator.Demo.Summary;

/// <summary>Computes the demo's summary from what it recorded: a pure function, so the tests can check it directly.</summary>
public static class DemoSummaryCalculator
{
    /// <summary>Client p99 is judged over this trailing window: long enough to hold a few hundred requests.</summary>
    public static readonly TimeSpan P99Window = TimeSpan.FromSeconds(5);

    public static DemoSummary Compute(
        double sloMs, TimeSpan stepStart, TimeSpan stepEnd, IReadOnlyList<TimelinePoint> timeline, IReadOnlyList<RequestOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(outcomes);
        var before = timeline.LastOrDefault(p => p.Elapsed <= stepStart);
        var recovery = Recovery(sloMs, stepStart, stepEnd, before.Ready, timeline, outcomes);
        double? p99After = recovery is { } r
            ? WindowFigures.Of(outcomes, stepStart + TimeSpan.FromSeconds(r), stepEnd).P99Ms
            : null;
        double? windowsWithin = recovery is { } from ? ShareOfWindowsWithin(sloMs, stepStart + TimeSpan.FromSeconds(from), stepEnd, outcomes) : null;
        return new DemoSummary
        {
            SloWindowsAfterRecovery = windowsWithin,
            SloMs = sloMs,
            ReplicasBeforeStep = before.Replicas,
            MaxReplicas = timeline.Count == 0 ? 0 : timeline.Max(p => p.Replicas),
            RecoverySeconds = recovery,
            P99AfterRecoveryMs = p99After,
            FinalReplicas = timeline.Count == 0 ? 0 : timeline[^1].Replicas,
            Requests = outcomes.Count,
            Errors = outcomes.Count(o => !o.Ok),
            P99Windows = Windows(outcomes),
        };
    }

    /// <summary>Client p99 of every 5 s window of the run, for the timeline and to line slow windows up with stalls.</summary>
    private static IReadOnlyList<P99WindowPoint> Windows(IReadOnlyList<RequestOutcome> outcomes)
    {
        var end = outcomes.Count == 0 ? TimeSpan.Zero : outcomes.Max(o => o.ScheduledAt);
        var windows = new List<P99WindowPoint>();
        for (var start = TimeSpan.Zero; start <= end; start += P99Window)
        {
            var figures = WindowFigures.Of(outcomes, start, start + P99Window);
            windows.Add(new P99WindowPoint(start.TotalSeconds, figures.Requests, figures.Errors, figures.P99Ms));
        }
        return windows;
    }

    private static double? ShareOfWindowsWithin(double sloMs, TimeSpan from, TimeSpan to, IReadOnlyList<RequestOutcome> outcomes)
    {
        var p99s = new List<double>();
        for (var start = from; start + P99Window <= to; start += P99Window)
        {
            if (WindowFigures.Of(outcomes, start, start + P99Window).P99Ms is { } p99)
            {
                p99s.Add(p99);
            }
        }
        return p99s.Count == 0 ? null : p99s.Count(p => p <= sloMs) / (double)p99s.Count;
    }

    private static double? Recovery(
        double sloMs, TimeSpan stepStart, TimeSpan stepEnd, int readyBefore, IReadOnlyList<TimelinePoint> timeline, IReadOnlyList<RequestOutcome> outcomes)
    {
        foreach (var point in timeline.Where(p => p.Elapsed > stepStart && p.Elapsed <= stepEnd))
        {
            if (point.Ready <= readyBefore)
            {
                continue;
            }
            var from = point.Elapsed - P99Window < stepStart ? stepStart : point.Elapsed - P99Window;
            if (WindowFigures.Of(outcomes, from, point.Elapsed).P99Ms is { } p99 && p99 <= sloMs)
            {
                return (point.Elapsed - stepStart).TotalSeconds;
            }
        }
        return null;
    }
}
