using System.ComponentModel;

namespace RecOperator.Crds.Models;

/// <summary>A variant's totals over its pools, its capacity estimate and the per-pool breakdown.</summary>
[Description("A variant's totals, capacity estimate and per-pool figures.")]
public sealed record VariantStatus
{
    [Description("Variant name.")]
    public required string Name { get; init; }

    [Description("Replicas over all pools.")]
    public int Replicas { get; init; }

    [Description("Ready replicas over all pools.")]
    public int ReadyReplicas { get; init; }

    [Description("Desired replicas over all pools.")]
    public int DesiredReplicas { get; init; }

    [Description("Current estimate of the requests per second one replica serves at the SLO.")]
    public double? CapacityQpsPerReplica { get; init; }

    [Description("Where the capacity estimate comes from: Profile (the spec's capacity profile), Observed (refined online from measured QPS per ready replica and p99, bounded to 0.25x-2x the profile) or Default (no profile: a deliberately low 10 QPS until load refines it).")]
    public string? CapacitySource { get; init; }

    [Description("Per-pool figures.")]
    public IReadOnlyList<VariantPoolStatus> Pools { get; init; } = [];
}
