namespace RecOperator.Observability;

/// <summary>Which meters to export and the histogram buckets used when an instrument gives none.</summary>
public sealed record PrometheusExporterOptions
{
    /// <summary>Meter names to export, exact (e.g. "RecOperator.InferencePod", "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel").</summary>
    public IReadOnlyCollection<string> MeterNames { get; init; } = [];

    /// <summary>Upper bounds for histograms without explicit bucket advice (OpenTelemetry's default latency buckets, seconds).</summary>
    public IReadOnlyList<double> DefaultBuckets { get; init; } =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
}
