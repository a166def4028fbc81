using System.Globalization;
using RecOperator.Operator.Metrics;

namespace RecOperator.Bench.Load;

/// <summary>
/// Where a pod's latency went between two readings of its /metrics: the 99th percentile of its requests' latency as the
/// pod measured it (recpod_request_duration_seconds), of their queue wait (recpod_queue_duration_seconds) and of its
/// batches' runs (recpod_batch_duration_seconds), computed as Prometheus' histogram_quantile does over the increase. A
/// step of a load ladder that breaks its SLO then shows whether the requests waited for a batch, the batches ran long,
/// or the time was spent outside the pod's handler (the client, the sockets, the server's connection threads).
/// </summary>
public sealed class PodLatencyParts(HttpClient http, int httpPort)
{
    public const string RequestBuckets = "recpod_request_duration_seconds_bucket";
    public const string QueueBuckets = "recpod_queue_duration_seconds_bucket";
    public const string BatchBuckets = "recpod_batch_duration_seconds_bucket";

    private IReadOnlyList<PromSample> _last = [];

    /// <summary>Reads the pod's metrics; the next <see cref="SinceLastAsync"/> measures from this reading.</summary>
    public async Task MarkAsync() => _last = await ReadAsync().ConfigureAwait(false);

    /// <summary>"pod p99 X ms  queue p99 Y ms  batch run p99 Z ms" since the last reading, which this one replaces.</summary>
    public async Task<string> SinceLastAsync()
    {
        var now = await ReadAsync().ConfigureAwait(false);
        var text = $"pod p99 {Milliseconds(QuantileOfIncrease(0.99, _last, now, RequestBuckets))}  queue p99 {Milliseconds(QuantileOfIncrease(0.99, _last, now, QueueBuckets))}  " +
            $"batch run p99 {Milliseconds(QuantileOfIncrease(0.99, _last, now, BatchBuckets))}";
        _last = now;
        return text;
    }

    /// <summary>
    /// The q-quantile of what a histogram observed between two pages: its buckets summed over every label set, the
    /// earlier page's counts subtracted. NaN when nothing was observed in between.
    /// </summary>
    public static double QuantileOfIncrease(double q, IReadOnlyList<PromSample> before, IReadOnlyList<PromSample> after, string bucketSeries)
    {
        var earlier = Buckets(before, bucketSeries);
        var increase = Buckets(after, bucketSeries)
            .Select(b => new HistogramBucket(b.Key, b.Value - earlier.GetValueOrDefault(b.Key)))
            .ToList();
        return PromQl.HistogramQuantile(q, increase);
    }

    private static Dictionary<double, double> Buckets(IReadOnlyList<PromSample> page, string bucketSeries)
    {
        var buckets = new Dictionary<double, double>();
        foreach (var sample in page)
        {
            if (sample.Name == bucketSeries && sample.Labels.TryGetValue("le", out var le) && HistogramBucket.ParseUpperBound(le) is { } bound)
            {
                buckets[bound] = buckets.GetValueOrDefault(bound) + sample.Value;
            }
        }
        return buckets;
    }

    private static string Milliseconds(double seconds) =>
        double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    private async Task<IReadOnlyList<PromSample>> ReadAsync() =>
        PrometheusTextParser.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics")).ConfigureAwait(false));
}
