namespace RecOperator.Operator.Metrics;

/// <summary>Where Prometheus is and how to talk to it.</summary>
public sealed record PrometheusClientOptions
{
    public required Uri BaseAddress { get; init; }

    /// <summary>Per-query limit; a slow Prometheus must not stall the control loop.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Value of the Authorization header (e.g. "Bearer TOKEN"), when Prometheus needs one.</summary>
    public string? Authorization { get; init; }
}
