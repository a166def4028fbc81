using System.Globalization;

namespace RecOperator.Operator.Metrics;

/// <summary>
/// <see cref="IMetricsSource"/> over Prometheus: three instant queries built from templates in which
/// {variant}, {pool} and {window} are replaced. Demand missing means the whole sample is missing.
/// The metric names are the inference pod's (DESIGN.md); the pod labels its series with model and variant, and the
/// <c>pool</c> label comes from the scrape configuration, which copies the pod label serving.recoperator.io/pool.
/// All three are evaluated at one instant, so demand and p99 describe the same window even when Prometheus answers
/// slowly (evaluated on arrival, a slow answer would shift the p99 window past a latency spike the QPS window saw).
/// </summary>
public sealed class PrometheusMetricsSource(PrometheusClient client, TimeProvider? time = null) : IMetricsSource
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const string QpsTemplate = "sum(rate(recpod_requests_total{variant=\"{variant}\",pool=\"{pool}\"}[{window}]))";
    public const string P99Template = "1000 * histogram_quantile(0.99, sum by (le) (rate(recpod_request_duration_seconds_bucket{variant=\"{variant}\",pool=\"{pool}\"}[{window}])))";
    public const string ReadyTemplate = "sum(up{variant=\"{variant}\",pool=\"{pool}\"})";

    public async Task<MetricsSample> QueryAsync(string variant, string pool, TimeSpan window, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var qps = await client.QueryAsync(Fill(QpsTemplate, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        if (qps.Value is not { } demand || !double.IsFinite(demand))
        {
            return MetricsSample.Missing;
        }

        var p99 = await client.QueryAsync(Fill(P99Template, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        var ready = await client.QueryAsync(Fill(ReadyTemplate, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        return new MetricsSample(demand, p99.Value, ready.Value is { } r && double.IsFinite(r) ? (int)r : null);
    }

    private static string Fill(string template, string variant, string pool, TimeSpan window) =>
        template.Replace("{variant}", Escape(variant), StringComparison.Ordinal)
            .Replace("{pool}", Escape(pool), StringComparison.Ordinal)
            .Replace("{window}", ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", StringComparison.Ordinal);

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
