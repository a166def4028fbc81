namespace RecOperator.Operator.Autoscaling;

/// <summary>Everything one decision of <see cref="ScalingPolicy"/> looks at. Null metrics mean "missing".</summary>
public sealed record ScalingInput
{
    /// <summary>Demand averaged over the model's window, in requests per second; null when metrics are missing.</summary>
    public required double? DemandQps { get; init; }

    /// <summary>Demand over the last sync period, for fast reaction and panic detection.</summary>
    public double? RecentDemandQps { get; init; }

    /// <summary>Variants with their current capacity estimates.</summary>
    public required IReadOnlyList<VariantCandidate> Variants { get; init; }

    public required IReadOnlyList<PoolCandidate> Pools { get; init; }

    public double Headroom { get; init; } = 0.2;

    public int MinTotalReplicas { get; init; } = 2;

    public required double SloP99Ms { get; init; }

    /// <summary>Observed p99 per variant over the last window; absent variants were not measured.</summary>
    public IReadOnlyDictionary<string, double> VariantP99Ms { get; init; } = new Dictionary<string, double>();

    /// <summary>When demand is missing, why: one line per placement that lacks data, with the source's reason.</summary>
    public IReadOnlyList<string> Unmeasured { get; init; } = [];

    /// <summary>Ready and pending pods per placement, as the cluster reports them.</summary>
    public IReadOnlyDictionary<PlacementKey, ReplicaCounts> Actual { get; init; } = new Dictionary<PlacementKey, ReplicaCounts>();
}
