using System.Globalization;

namespace RecOperator.Bench.Load;

/// <summary>
/// What one load run measured: completed and shed requests, throughput, latency percentiles, and the CPU time this
/// process spent (pod, in-process load generator and engine together). Rows per CPU-second is the figure that holds
/// on a shared machine: wall-clock throughput there depends on what the other tenants run.
/// </summary>
public sealed record LoadResult(string Name, int Completed, int Failed, TimeSpan Duration, double[] LatenciesMs, long Rows, double CpuSeconds)
{
    public double RowsPerCpuSecond => CpuSeconds > 0 ? Rows / CpuSeconds : 0;

    /// <summary>This process's CPU time so far, user and kernel, all threads.</summary>
    public static double ProcessCpuSeconds()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Two runs of the same load as one (slices of a measurement taken in turns with another).</summary>
    public LoadResult Plus(LoadResult other) => this with
    {
        Completed = Completed + other.Completed,
        Failed = Failed + other.Failed,
        Duration = Duration + other.Duration,
        LatenciesMs = [.. LatenciesMs, .. other.LatenciesMs],
        Rows = Rows + other.Rows,
        CpuSeconds = CpuSeconds + other.CpuSeconds,
    };

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
        $"{Name,-44} {RequestsPerSecond,9:F0} req/s {RowsPerSecond,10:F0} rows/s  p50 {P50,7:F2} ms  p99 {P99,7:F2} ms  failed {Failed}  {RowsPerCpuSecond,9:F0} rows/CPU-s");
}
