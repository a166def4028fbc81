namespace RecOperator.Observability;

/// <summary>Prometheus metric families the exporter writes.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
