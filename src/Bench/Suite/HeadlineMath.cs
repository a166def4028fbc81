using RecOperator.Bench.Load;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The headline's two ratios from the two ladders (pure): throughput = the highest rate each held within the SLO;
/// p99 = the optimized pod's p99 over the baseline's at the highest rate both held (the baseline's best, when the
/// optimized one got at least that far).
/// </summary>
public static class HeadlineMath
{
    public static (double ThroughputRatio, double P99Ratio, double FixedRate, double BaselineP99, double OptimizedP99)? Ratios(
        IReadOnlyList<(double Rate, LoadResult Result)> baseline, IReadOnlyList<(double Rate, LoadResult Result)> optimized, double sloMs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(optimized);
        var baselineHeld = Held(baseline, sloMs);
        var optimizedHeld = Held(optimized, sloMs);
        if (baselineHeld.Count == 0 || optimizedHeld.Count == 0)
        {
            return null;
        }
        var common = baselineHeld.Select(b => b.Rate).Intersect(optimizedHeld.Select(o => o.Rate)).DefaultIfEmpty(double.NaN).Max();
        if (double.IsNaN(common))
        {
            return null;
        }
        var baselineP99 = baselineHeld.Single(b => b.Rate == common).Result.P99;
        var optimizedP99 = optimizedHeld.Single(o => o.Rate == common).Result.P99;
        return (optimizedHeld.Max(o => o.Result.RequestsPerSecond) / baselineHeld.Max(b => b.Result.RequestsPerSecond),
            optimizedP99 / baselineP99, common, baselineP99, optimizedP99);
    }

    /// <summary>The rates of a ladder held without failures and within the SLO, up to the first that was not.</summary>
    public static IReadOnlyList<(double Rate, LoadResult Result)> Held(IReadOnlyList<(double Rate, LoadResult Result)> ladder, double sloMs) =>
        [.. (ladder ?? throw new ArgumentNullException(nameof(ladder))).TakeWhile(r => r.Result.Failed == 0 && r.Result.P99 <= sloMs)];
}
