using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>How the operator turns observed demand into replicas.</summary>
[Description("How the operator turns observed demand and latency into replicas.")]
public sealed record AutoscalingSpec
{
    [Description("Length of the window QPS and p99 are measured over, in seconds.")]
    [Minimum(10)]
    [Maximum(3600)]
    public int WindowSeconds { get; init; } = 60;

    [Description("Spare capacity kept above measured demand, as a fraction (0.2 = 20%).")]
    [Minimum(0)]
    [Maximum(10)]
    public double Headroom { get; init; } = 0.2;

    [Description("How long demand must stay low before replicas are removed, in seconds.")]
    [Minimum(0)]
    [Maximum(3600)]
    public int ScaleDownStabilizationSeconds { get; init; } = 120;

    [Description("Fewest replicas across all variants and pools, for availability. The autoscaler keeps at least 1 even when this is 0: demand is measured on the model's pods, and with none there is nothing to measure and no request to bring it back.")]
    [Minimum(0)]
    [Maximum(10000)]
    public int MinTotalReplicas { get; init; } = 2;

    [Description("Where QPS and p99 come from.")]
    public MetricsSourceSpec Metrics { get; init; } = new();
}
