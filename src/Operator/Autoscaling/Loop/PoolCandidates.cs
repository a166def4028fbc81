using RecOperator.Crds;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>NodePools as the solver sees them for one model: price, and the slots this model may use.</summary>
public static class PoolCandidates
{
    /// <param name="pools">The NodePools the model's variants name (absent ones are simply not offered).</param>
    /// <param name="model">The model the slots are for: free room is sized by its own variants' requests.</param>
    /// <param name="ownReplicas">This model's replicas per pool now, given back as slots it may keep using.</param>
    public static IReadOnlyList<PoolCandidate> Build(IEnumerable<NodePool> pools, ObjectKey model, IReadOnlyDictionary<string, int> ownReplicas)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(ownReplicas);
        var key = model.ToString();
        return [.. pools.Where(p => p.Metadata?.Name is not null).Select(p => new PoolCandidate(p.Metadata!.Name!, p.Spec.CostPerReplicaHour, SlotsFor(p, key, ownReplicas.GetValueOrDefault(p.Metadata!.Name!)), p.Spec.Preemptible, CapacityOf(p)))];
    }

    private static int? CapacityOf(NodePool pool) =>
        pool.Status is { ObservedGeneration: not null } status ? status.AllocatableSlots : null;

    private static int? SlotsFor(NodePool pool, string model, int own)
    {
        var slots = pool.Spec.CapacityLimit;
        // Status counts only once the NodePool controller has looked at the nodes; before that, trust the spec.
        if (pool.Status is { ObservedGeneration: not null, Nodes: > 0 } status)
        {
            // Free room sized by this model's largest request there (a pool shared with bigger models still has room
            // for its replicas); until the status lists the model, the pool's slots sized by everyone's largest request.
            var mine = status.VariantSlots.Where(v => v.Model == model).ToList();
            var free = mine.Count > 0 ? mine.Min(v => v.Free) : Math.Max(0, status.AllocatableSlots - status.AllocatedSlots);
            // Each own replica gives back one slot: exact when the model's replicas there are the size of its largest.
            slots = Math.Min(slots ?? int.MaxValue, free + own);
        }

        return slots;
    }
}
