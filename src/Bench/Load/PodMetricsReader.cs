using System.Globalization;
using System.Text.RegularExpressions;

namespace RecOperator.Bench.Load;

/// <summary>Reads the pod's batch-size histogram from its /metrics text, to learn the batches it formed in a run.</summary>
public static partial class PodMetricsReader
{
    public static async Task<(double Sum, double Count)> BatchesAsync(HttpClient http, int httpPort)
    {
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics")).ConfigureAwait(false);
        return (Value(metrics, "recpod_batch_size_sum"), Value(metrics, "recpod_batch_size_count"));
    }

    /// <summary>The average batch between two readings.</summary>
    public static int AverageBatch((double Sum, double Count) before, (double Sum, double Count) after) =>
        (int)Math.Round((after.Sum - before.Sum) / Math.Max(1, after.Count - before.Count));

    private static double Value(string metrics, string series) =>
        double.Parse(Regex.Match(metrics, "^" + series + @"\{[^}]*\} (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
}
