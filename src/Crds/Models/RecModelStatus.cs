using System.ComponentModel;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Models;

/// <summary>What the operator observed and decided for a RecModel.</summary>
[Description("What the operator observed and decided.")]
public sealed record RecModelStatus
{
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Progressing, Degraded, SLOAtRisk, MetricsAvailable, InvalidSpec.")]
    public IReadOnlyList<V1Condition> Conditions { get; init; } = [];

    [Description("Replicas over all variants and pools.")]
    public int Replicas { get; init; }

    [Description("Ready replicas over all variants and pools.")]
    public int ReadyReplicas { get; init; }

    [Description("Measured requests per second over the whole model.")]
    public double? Qps { get; init; }

    [Description("Worst measured 99th-percentile latency of any variant, in milliseconds.")]
    public double? P99LatencyMs { get; init; }

    [Description("Cost of the running replicas per hour, from the NodePools' prices.")]
    public double? CostPerHour { get; init; }

    [Description("Per-variant figures.")]
    public IReadOnlyList<VariantStatus> Variants { get; init; } = [];
}
