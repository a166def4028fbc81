using System.Globalization;

namespace RecOperator.InferencePod.Tests;

/// <summary>A value of the pod's /metrics page, summed over every label set of one series name.</summary>
internal static class PodSeries
{
    public static async Task<double> SumAsync(HttpClient rest, string series)
    {
        var metrics = await rest.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
