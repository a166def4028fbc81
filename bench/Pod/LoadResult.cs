using System.Globalization;

namespace RecOperator.Bench.Pod;

/// <summary>What one load run measured: completed and shed requests, throughput and latency percentiles.</summary>
internal sealed record LoadResult(string Name, int Completed, int Failed, TimeSpan Duration, double[] LatenciesMs, long Rows)
{
    public double RequestsPerSecond => Completed / Duration.TotalSeconds;

    public double RowsPerSecond => Rows / Duration.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Percentile(double q)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-44} {RequestsPerSecond,9:F0} req/s {RowsPerSecond,10:F0} rows/s  p50 {P50,7:F2} ms  p99 {P99,7:F2} ms  failed {Failed}");
}
