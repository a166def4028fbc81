namespace RecOperator.Demo.Load;

/// <summary>What clients saw over a window of scheduled times: rate of answers, p99 of the successful ones, errors.</summary>
public sealed record WindowFigures(int Requests, int Errors, double Qps, double? P99Ms)
{
    public static WindowFigures Of(IReadOnlyList<RequestOutcome> outcomes, TimeSpan from, TimeSpan to)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var inWindow = outcomes.Where(o => o.ScheduledAt >= from && o.ScheduledAt < to).ToList();
        var ok = inWindow.Where(o => o.Ok).Select(o => o.LatencyMs).Order().ToArray();
        var seconds = Math.Max((to - from).TotalSeconds, 1e-9);
        return new WindowFigures(inWindow.Count, inWindow.Count - ok.Length, ok.Length / seconds, Percentile(ok, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(double[] sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
