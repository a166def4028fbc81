using System.Globalization;

namespace RecOperator.InferencePod.Tests;

/// <summary>Engine calls a pod has made so far: recpod_batch_size is recorded once per call, so its count is theirs.</summary>
internal static class EngineCalls
{
    public static async Task<double> ReadAsync(HttpClient rest)
    {
        var metrics = await rest.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("recpod_batch_size_count", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
