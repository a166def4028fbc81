using System.Globalization;
using System.Text.RegularExpressions;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics;

/// <summary>
/// <see cref="IMetricsSource"/> over one RecModel's series in Prometheus: three instant queries built from templates
/// in which {namespace}, {model}, {variant}, {pool} and {window} are replaced. Demand missing means the whole sample
/// is missing. The metric names are the inference pod's (DESIGN.md). The pod labels its series with model (the
/// RecModel's name) and variant; the scrape configuration adds namespace (a PodMonitor always does) and copies the
/// pod labels serving.recoperator.io/model, /variant and /pool, which <c>up</c> needs as it has only target labels.
/// Without namespace and model two RecModels with a variant of the same name in the same pool would add up.
/// All three are evaluated at one instant, so demand and p99 describe the same window even when Prometheus answers
/// slowly (evaluated on arrival, a slow answer would shift the p99 window past a latency spike the QPS window saw).
/// </summary>
public sealed partial class PrometheusMetricsSource(PrometheusClient client, ObjectKey model, TimeProvider? time = null) : IMetricsSource
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The label matchers every query starts with: one RecModel's pods of one variant in one pool.</summary>
    public const string Selector = "namespace=\"{namespace}\",model=\"{model}\",variant=\"{variant}\",pool=\"{pool}\"";
    public const string QpsTemplate = "sum(rate(recpod_requests_total{" + Selector + "}[{window}]))";
    public const string P99Template = "1000 * histogram_quantile(0.99, sum by (le) (rate(recpod_request_duration_seconds_bucket{" + Selector + "}[{window}])))";
    public const string ReadyTemplate = "sum(up{" + Selector + "})";

    public async Task<MetricsSample> QueryAsync(string variant, string pool, TimeSpan window, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var qps = await client.QueryAsync(Fill(QpsTemplate, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        if (qps.Value is not { } demand || !double.IsFinite(demand))
        {
            // The condition message names the cause, so an unreachable Prometheus reads as one, not as an idle model.
            return MetricsSample.Missing with { MissingReason = $"Prometheus at {client.BaseAddress}: {qps.MissingReason ?? $"QPS is {qps.Value}"}" };
        }

        var p99 = await client.QueryAsync(Fill(P99Template, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        var ready = await client.QueryAsync(Fill(ReadyTemplate, variant, pool, window), at, cancellationToken).ConfigureAwait(false);
        return new MetricsSample(demand, p99.Value, ready.Value is { } r && double.IsFinite(r) ? (int)r : null);
    }

    // One pass, so a value is never searched for placeholders again.
    private string Fill(string template, string variant, string pool, TimeSpan window) =>
        Placeholder().Replace(template, m => m.Groups[1].Value switch
        {
            "namespace" => Escape(model.Namespace),
            "model" => Escape(model.Name),
            "variant" => Escape(variant),
            "pool" => Escape(pool),
            _ => ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        });

    // A PromQL double-quoted string: backslash and quote are escaped, and a raw newline is not allowed inside it.
    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    [GeneratedRegex(@"\{(namespace|model|variant|pool|window)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
