using RecOperator.Operator.Metrics;
using RecOperator.Operator.Metrics.Scraping;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Settings of the autoscaler loop; the RecModel spec supplies the per-model ones (window, headroom, ...).</summary>
public sealed record AutoscalerOptions
{
    /// <summary>How often every model is decided.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The short window behind fast reaction and panic detection; several scrapes must fit in it.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Policy tuning; the stabilization window is replaced by each model's own.</summary>
    public ScalingOptions Scaling { get; init; } = new();

    /// <summary>The direct (embedded) metrics source's scrape loop.</summary>
    public ScrapingOptions Scraping { get; init; } = new();

    public TimeSpan PrometheusTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The cluster's Prometheus, when the operator is told to use one (<c>--metrics-source=prometheus</c>): models on
    /// the Direct source read it instead of being scraped. Null: Direct models are scraped by the operator.
    /// </summary>
    public string? ClusterPrometheusUrl { get; init; }

    /// <summary>
    /// The Authorization header for the cluster Prometheus (<c>RECOP_PROMETHEUS_AUTHORIZATION</c> or
    /// <c>--prometheus-authorization-file</c>); sent to that Prometheus's origin only. Null: none is sent.
    /// </summary>
    public PrometheusAuthorization? PrometheusAuthorization { get; init; }

    /// <summary>Names this operator instance in Events (the pod name in a cluster).</summary>
    public string ReportingInstance { get; init; } = Environment.MachineName;
}
