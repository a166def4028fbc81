namespace RecOperator.Operator.Metrics;

/// <summary>One window's measurement of a (variant, pool); a null field was not measurable.</summary>
public sealed record MetricsSample(double? Qps, double? P99Ms, int? ReadyReplicas)
{
    public static MetricsSample Missing { get; } = new(null, null, null);

    /// <summary>Why demand is missing, in words for the MetricsAvailable condition (Prometheus unreachable, no series, ...); null when measured.</summary>
    public string? MissingReason { get; init; }

    /// <summary>Demand unknown: the autoscaler must hold rather than scale down blind.</summary>
    public bool IsMissing => Qps is null;
}
