using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>What the loop remembers of one model between syncs: the policy's state, the capacity estimates, the last plan.</summary>
public sealed record ModelAutoscaling(ScalingState Scaling, IReadOnlyDictionary<string, CapacityEstimate> Capacity, FleetPlan? Plan)
{
    /// <summary>The metrics outage under way, if any (see <see cref="MetricsOutage"/>).</summary>
    public MetricsOutage? Outage { get; init; }

    /// <summary>Whether the last decision had metrics: a held decision is logged when metrics go, not at every sync without them.</summary>
    public bool Measured { get; init; } = true;

    /// <summary>Each variant's ready replicas at the last sync and since when (<see cref="CapacityTracker.ReadyCounts"/>).</summary>
    public IReadOnlyDictionary<string, ReadyCount> ReadyCounts { get; init; } = new Dictionary<string, ReadyCount>();

    /// <summary>
    /// The state for a model the loop has not seen since it started. Existing Deployments are taken as the last
    /// decision, found now, so a restarted operator neither scales blind nor scales down before a full stabilization
    /// window of fresh measurements. Their capacity is not recorded as demand: the fleet holds headroom, hysteresis
    /// slack and the spot reserve on top of what it serves, and a demand that large made a restarted operator grow the
    /// fleet for load that was not there (found by the operator-restart end-to-end test).
    /// </summary>
    public static ModelAutoscaling Seed(ObservedFleet observed, IReadOnlyDictionary<string, CapacityEstimate> capacity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(capacity);
        var replicas = observed.DeployedReplicas.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => r.Value);
        if (replicas.Count == 0)
        {
            return new ModelAutoscaling(ScalingState.Initial, capacity, null);
        }

        // Pods found not ready may be starting: they get the start timeout from now, as if just added.
        return new ModelAutoscaling(new ScalingState { Replicas = replicas, FoundAt = now, GrownAt = replicas.ToDictionary(r => r.Key, _ => now) }, capacity, null);
    }
}
