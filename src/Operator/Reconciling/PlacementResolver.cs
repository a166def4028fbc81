using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Which (variant, pool) pairs run and with how many replicas. Replicas belong to the autoscaler: its plan wins;
/// without one (a new model, or right after a restart) the replicas observed on existing Deployments are kept, and a
/// variant with no Deployment yet starts at its minimum in its cheapest eligible pool. A pool is eligible when it exists
/// and fits the variant's hardware (<see cref="HardwareFit"/>). Pure.
/// </summary>
public static class PlacementResolver
{
    /// <param name="pools">The NodePools that exist, by name; pairs in other pools are left out.</param>
    /// <param name="observed">spec.replicas of the model's existing Deployments, per (variant, pool).</param>
    public static IReadOnlyList<VariantPlacement> Resolve(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, FleetPlan? plan, IReadOnlyDictionary<PlacementKey, int> observed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(observed);
        var replicas = plan is not null ? new Dictionary<PlacementKey, int>(plan.Replicas) : FromObservation(model, pools, observed);
        var placements = new List<VariantPlacement>();
        foreach (var variant in model.Spec.Variants)
        {
            foreach (var pool in HardwareFit.EligiblePools(variant, pools))
            {
                if (replicas.TryGetValue(new PlacementKey(variant.Name, pool), out var n) && n > 0)
                {
                    placements.Add(new VariantPlacement(variant, pool, pools[pool], n));
                }
            }
        }

        return placements;
    }

    private static Dictionary<PlacementKey, int> FromObservation(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, IReadOnlyDictionary<PlacementKey, int> observed)
    {
        var replicas = observed.Where(o => o.Value > 0).ToDictionary(o => o.Key, o => o.Value);
        var placedVariants = replicas.Keys.Select(k => k.Variant).ToHashSet(StringComparer.Ordinal);
        var fresh = model.Spec.Variants.Where(v => !placedVariants.Contains(v.Name)).ToList();
        if (fresh.Count == 0)
        {
            return replicas;
        }

        // Zero demand: the solver only places each variant's minimum (and the model's minimum total), at least cost.
        var initial = PlacementSolver.Solve(new PlacementProblem
        {
            Variants = fresh.Select(v => Candidate(v, pools)).ToList(),
            Pools = fresh.SelectMany(v => HardwareFit.EligiblePools(v, pools)).Distinct(StringComparer.Ordinal)
                .Select(p => new PoolCandidate(p, pools[p].CostPerReplicaHour, pools[p].CapacityLimit)).ToList(),
            DemandQps = 0,
            MinTotalReplicas = placedVariants.Count == 0 ? model.Spec.Autoscaling.MinTotalReplicas : 0,
        });
        foreach (var (key, n) in initial.Replicas)
        {
            replicas[key] = n;
        }

        return replicas;
    }

    private static VariantCandidate Candidate(VariantSpec variant, IReadOnlyDictionary<string, NodePoolSpec> pools) => new(
        variant.Name, variant.Capacity?.QpsPerReplica ?? 1.0, variant.Replicas.Min, variant.Replicas.Max, HardwareFit.EligiblePools(variant, pools));
}
