namespace RecOperator.Operator.Autoscaling;

/// <summary>Input of <see cref="PlacementSolver"/>: demand to cover and the variants and pools to cover it with.</summary>
public sealed record PlacementProblem
{
    public required IReadOnlyList<VariantCandidate> Variants { get; init; }

    public required IReadOnlyList<PoolCandidate> Pools { get; init; }

    /// <summary>Smoothed demand in requests per second.</summary>
    public required double DemandQps { get; init; }

    /// <summary>Spare capacity kept above demand, as a fraction.</summary>
    public double Headroom { get; init; }

    /// <summary>Fewest replicas over all variants and pools, so one pod loss never takes the model down.</summary>
    public int MinTotalReplicas { get; init; }

    /// <summary>The capacity the placement must reach: demand x (1 + headroom).</summary>
    public double RequiredQps => Math.Max(0, DemandQps) * (1 + Math.Max(0, Headroom));
}
