namespace RecOperator.Operator.Autoscaling;

/// <summary>What the loop remembers between decisions; returned in every <see cref="ScalingDecision"/>.</summary>
public sealed record ScalingState
{
    public static ScalingState Initial { get; } = new();

    /// <summary>Replicas last asked for.</summary>
    public IReadOnlyDictionary<PlacementKey, int> Replicas { get; init; } = new Dictionary<PlacementKey, int>();

    /// <summary>Recent required capacities, newest last, no older than the stabilization window.</summary>
    public IReadOnlyList<DemandRecord> History { get; init; } = [];

    /// <summary>When the current breach (a variant's p99 above the SLO at every sync since) was first seen; null outside one.</summary>
    public DateTimeOffset? SloBreachSince { get; init; }

    /// <summary>The SLO guard's boosts in the current breach; null outside a breach.</summary>
    public SloGuardState? SloGuard { get; init; }

    /// <summary>Pools found full, with the slots they had; without this memory placement would flap back into them.</summary>
    public IReadOnlyDictionary<string, PoolLimit> PoolLimits { get; init; } = new Dictionary<string, PoolLimit>();

    /// <summary>Each pool's capacity in replicas as the last decision saw it, where known: a pool that grew since has room again.</summary>
    public IReadOnlyDictionary<string, int> PoolCapacities { get; init; } = new Dictionary<string, int>();

    /// <summary>Demand the last decision was based on, for panic detection.</summary>
    public double? LastDemandQps { get; init; }

    /// <summary>
    /// When the loop took over replicas it had not decided (an operator restart found them running). For one
    /// stabilization window after it no replica is removed: the fleet may only grow until fresh measurements fill a
    /// window, as if the restart had not happened.
    /// </summary>
    public DateTimeOffset? FoundAt { get; init; }

    /// <summary>The first of the syncs without metrics up to the last decision (replicas held); null when it had them.</summary>
    public DateTimeOffset? UnmeasuredSince { get; init; }

    /// <summary>
    /// The first sync with metrics after an outage longer than a metrics window. For one stabilization window after it
    /// no replica is removed: demand went unseen for longer than the fresh sample's window covers, the requirements of
    /// before may have aged out of <see cref="History"/>, and the first fresh sample alone would size the fleet, as
    /// after a restart without <see cref="FoundAt"/>.
    /// </summary>
    public DateTimeOffset? MeasuredAgainAt { get; init; }

    /// <summary>
    /// When each placement was last asked for more replicas, for <see cref="ScalingOptions.StartTimeout"/>: its replicas
    /// not ready yet are starting until then, and stuck after (<see cref="StartingReplicas"/>).
    /// </summary>
    public IReadOnlyDictionary<PlacementKey, DateTimeOffset> GrownAt { get; init; } = new Dictionary<PlacementKey, DateTimeOffset>();
}
