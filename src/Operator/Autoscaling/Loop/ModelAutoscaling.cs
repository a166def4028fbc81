using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>What the loop remembers of one model between syncs: the policy's state, the capacity estimates, the last plan.</summary>
public sealed record ModelAutoscaling(ScalingState Scaling, IReadOnlyDictionary<string, CapacityEstimate> Capacity, FleetPlan? Plan)
{
    /// <summary>
    /// The state for a model the loop has not seen since it started. Existing Deployments are taken as the last
    /// decision, and their capacity as a demand just seen, so a restarted operator neither scales blind nor scales
    /// down before a full stabilization window of fresh measurements.
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

        var served = replicas.Sum(r => r.Value * (capacity.TryGetValue(r.Key.Variant, out var c) ? c.QpsPerReplica : 0));
        var state = new ScalingState { Replicas = replicas, History = served > 0 ? [new DemandRecord(now, served)] : [] };
        return new ModelAutoscaling(state, capacity, null);
    }
}
