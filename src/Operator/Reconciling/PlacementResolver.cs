using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Which (variant, pool) pairs run and with how many replicas. Replicas belong to the autoscaler: its plan wins;
/// without one (a new model, or right after a restart) the replicas observed on existing Deployments are kept, and a
/// variant with nothing placed in a pool it may use (no Deployment yet, or only in pools it left) starts at its minimum
/// in its cheapest eligible pool with room. A pool is eligible when it exists
/// and fits the variant's hardware (<see cref="HardwareFit"/>). Pure.
/// </summary>
public static class PlacementResolver
{
    /// <param name="pools">The NodePools that exist, by name; pairs in other pools are left out.</param>
    /// <param name="observed">spec.replicas of the model's existing Deployments, per (variant, pool).</param>
    /// <param name="room">
    /// The pools as the solver sees them, with the slots other models leave free (<see cref="PoolCandidates"/>), so the
    /// minimums of a new variant do not take a pool past its capacityLimit; by default each pool's capacityLimit.
    /// </param>
    public static IReadOnlyList<VariantPlacement> Resolve(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, FleetPlan? plan, IReadOnlyDictionary<PlacementKey, int> observed,
        IReadOnlyDictionary<string, PoolCandidate>? room = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(observed);
        var eligible = model.Spec.Variants.SelectMany(v => HardwareFit.EligiblePools(v, pools).Select(p => (Variant: v, Pool: p, Key: new PlacementKey(v.Name, p)))).ToList();
        var eligibleKeys = eligible.Select(e => e.Key).ToHashSet();
        // Only pairs still eligible count: a Deployment (or a plan's entry) in a pool the variant left, or in a deleted
        // pool, is not built, so it must not count as the variant being placed.
        var replicas = (plan?.Replicas ?? observed).Where(r => r.Value > 0 && eligibleKeys.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value);
        AddMinimums(model, pools, room, replicas);
        return [.. eligible.Where(e => replicas.GetValueOrDefault(e.Key) > 0).Select(e => new VariantPlacement(e.Variant, e.Pool, pools[e.Pool], replicas[e.Key]))];
    }

    /// <summary>
    /// Variants with nothing placed where they may run start at their minimum in their cheapest eligible pools: a new
    /// model or variant, and also one whose plan (or Deployments) the spec or the pools left behind, which would
    /// otherwise have no replica until the autoscaler's next sync, or none at all while no pod is there to measure.
    /// </summary>
    private static void AddMinimums(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, IReadOnlyDictionary<string, PoolCandidate>? room, Dictionary<PlacementKey, int> replicas)
    {
        var placedVariants = replicas.Keys.Select(k => k.Variant).ToHashSet(StringComparer.Ordinal);
        var fresh = model.Spec.Variants.Where(v => !placedVariants.Contains(v.Name)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        // Zero demand: the solver only places each variant's minimum (and the model's minimum total), at least cost.
        var initial = PlacementSolver.Solve(new PlacementProblem
        {
            Variants = fresh.Select(v => Candidate(v, pools)).ToList(),
            Pools = fresh.SelectMany(v => HardwareFit.EligiblePools(v, pools)).Distinct(StringComparer.Ordinal)
                .Select(p => room?.GetValueOrDefault(p) ?? new PoolCandidate(p, pools[p].CostPerReplicaHour, pools[p].CapacityLimit)).ToList(),
            DemandQps = 0,
            MinTotalReplicas = placedVariants.Count == 0 ? model.Spec.Autoscaling.MinTotalReplicas : 0,
        });
        foreach (var (key, n) in initial.Replicas)
        {
            replicas[key] = n;
        }
    }

    /// <summary>
    /// One line per variant placed below its minimum because every pool it may use is full (no free slot left by
    /// capacityLimit or the nodes, as <paramref name="room"/> says), for status.
    /// </summary>
    public static IReadOnlyList<string> ShortOfRoom(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, IReadOnlyList<VariantPlacement> placements, IReadOnlyDictionary<string, PoolCandidate> room)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(placements);
        ArgumentNullException.ThrowIfNull(room);
        bool Full(string pool) => room.GetValueOrDefault(pool)?.Slots is <= 0;
        return [.. model.Spec.Variants
            .Select(v => (Variant: v, Eligible: HardwareFit.EligiblePools(v, pools), Placed: placements.Where(p => p.Variant.Name == v.Name).Sum(p => p.Replicas)))
            .Where(v => v.Eligible.Count > 0 && v.Placed < v.Variant.Replicas.Min && v.Eligible.All(Full))
            .Select(v => $"variant {v.Variant.Name} has {v.Placed} of its minimum {v.Variant.Replicas.Min} replicas: every slot of NodePool {string.Join(", ", v.Eligible)} is taken (capacityLimit or nodes)")];
    }

    private static VariantCandidate Candidate(VariantSpec variant, IReadOnlyDictionary<string, NodePoolSpec> pools) => new(
        variant.Name, variant.Capacity?.QpsPerReplica ?? 1.0, variant.Replicas.Min, variant.Replicas.Max, HardwareFit.EligiblePools(variant, pools));
}
