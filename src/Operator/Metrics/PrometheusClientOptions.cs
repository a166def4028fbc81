namespace RecOperator.Operator.Metrics;

/// <summary>Where Prometheus is and how to talk to it.</summary>
public sealed record PrometheusClientOptions
{
    public required Uri BaseAddress { get; init; }

    /// <summary>Per-query limit; a slow Prometheus must not stall the control loop.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The Authorization header to send, when Prometheus (or the proxy in front of it) needs one.</summary>
    public PrometheusAuthorization? Authorization { get; init; }
}
