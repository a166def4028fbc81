using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>Where the autoscaler reads a model's QPS and p99.</summary>
[Description("Where the autoscaler reads QPS and p99 latency.")]
[CelRule("self.source != 'Prometheus' || has(self.prometheusUrl)", "prometheusUrl is required when source is Prometheus", FieldPath = ".prometheusUrl")]
public sealed record MetricsSourceSpec
{
    [Description("Direct (scrape the pods' /metrics; the default, needs no Prometheus) or Prometheus.")]
    public MetricsSourceKind Source { get; init; } = MetricsSourceKind.Direct;

    [Description("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090. Required for source Prometheus.")]
    [Pattern(Patterns.HttpUrl, Patterns.HttpUrlReason)]
    public string? PrometheusUrl { get; init; }
}
