using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Simulation;

/// <summary>What a controller may see at a sync: windowed demand, per-variant load and p99, and pod counts.</summary>
public sealed record SimObservation
{
    public required double TimeSeconds { get; init; }

    /// <summary>Mean QPS over the model's window.</summary>
    public required double WindowQps { get; init; }

    /// <summary>Mean QPS over the last sync period of the observing controller.</summary>
    public required double RecentQps { get; init; }

    /// <summary>Mean p99 per variant over the last sync period (variants without traffic absent).</summary>
    public required IReadOnlyDictionary<string, double> VariantP99Ms { get; init; }

    /// <summary>Mean served QPS per ready replica per variant over the last sync period.</summary>
    public required IReadOnlyDictionary<string, double> VariantQpsPerReady { get; init; }

    public required IReadOnlyDictionary<PlacementKey, ReplicaCounts> Actual { get; init; }

    /// <summary>
    /// Replicas each pool's ready nodes hold, as a NodePool's status.allocatableSlots says: 0 while the pool is down,
    /// its capacity limit otherwise (int.MaxValue for a pool without one).
    /// </summary>
    public IReadOnlyDictionary<string, int> PoolCapacity { get; init; } = new Dictionary<string, int>();
}
