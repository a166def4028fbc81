using RecOperator.Crds;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>NodePools as the solver sees them for one model: price, and the slots this model may use.</summary>
public static class PoolCandidates
{
    /// <param name="pools">The NodePools the model's variants name (absent ones are simply not offered).</param>
    /// <param name="ownReplicas">This model's replicas per pool now, which the pool's allocated slots include.</param>
    public static IReadOnlyList<PoolCandidate> Build(IEnumerable<NodePool> pools, IReadOnlyDictionary<string, int> ownReplicas)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(ownReplicas);
        return [.. pools.Where(p => p.Metadata?.Name is not null).Select(p => new PoolCandidate(p.Metadata!.Name!, p.Spec.CostPerReplicaHour, SlotsFor(p, ownReplicas.GetValueOrDefault(p.Metadata!.Name!)), p.Spec.Preemptible, CapacityOf(p)))];
    }

    private static int? CapacityOf(NodePool pool) =>
        pool.Status is { ObservedGeneration: not null } status ? status.AllocatableSlots : null;

    private static int? SlotsFor(NodePool pool, int own)
    {
        var slots = pool.Spec.CapacityLimit;
        // Status counts only once the NodePool controller has looked at the nodes; before that, trust the spec.
        if (pool.Status is { ObservedGeneration: not null, Nodes: > 0 } status)
        {
            var free = Math.Max(0, status.AllocatableSlots - status.AllocatedSlots) + own;
            slots = Math.Min(slots ?? int.MaxValue, free);
        }

        return slots;
    }
}
