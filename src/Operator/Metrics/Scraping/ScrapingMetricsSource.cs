using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// <see cref="IMetricsSource"/> over the operator's own scrapes of one model's pods: the same two queries the
/// Prometheus source sends, evaluated on the sliding windows as PromQL evaluates them:
/// <c>sum(rate(recpod_requests_total[w]))</c> and
/// <c>histogram_quantile(0.99, sum by (le) (rate(recpod_request_duration_seconds_bucket[w])))</c>.
/// Ready replicas are the ready addresses of the Endpoints.
/// </summary>
public sealed class ScrapingMetricsSource(ObjectKey model, ScrapeStore store, TimeProvider time) : IMetricsSource
{
    public Task<MetricsSample> QueryAsync(string variant, string pool, TimeSpan window, CancellationToken cancellationToken)
    {
        store.EnsureRetention(window);
        var end = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var start = end - window.TotalSeconds;
        var (qps, p99Seconds) = store.Read(model, variant, pool, windows =>
        {
            double? sum = null;
            var byLe = new Dictionary<double, double>();
            foreach (var pod in windows)
            {
                if (pod.RequestRate(start, end) is { } rate)
                {
                    sum = (sum ?? 0) + rate;
                }

                pod.AddBucketRates(start, end, byLe);
            }

            var buckets = byLe.Select(b => new HistogramBucket(b.Key, b.Value)).ToList();
            return (sum, PromQl.HistogramQuantile(0.99, buckets));
        });

        var ready = store.ReadyTargets(model, variant, pool);
        // No series with two scrapes in the window: demand is unknown, not zero.
        // A histogram without observations in the window (an idle pod) has no quantile: p99 unknown, demand 0.
        var sample = qps is null
            ? MetricsSample.Missing with
            {
                ReadyReplicas = ready,
                MissingReason = ready == 0
                    ? "no ready pod to scrape"
                    : $"no scrape of its {ready} ready pod(s) holds two samples in the last {window.TotalSeconds:0.###} s",
            }
            : new MetricsSample(qps, double.IsFinite(p99Seconds) ? p99Seconds * 1000 : null, ready);
        return Task.FromResult(sample);
    }
}
