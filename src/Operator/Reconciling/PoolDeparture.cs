using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Reconciling;

/// <summary>A Deployment kept, as it is, in a pool its variant is leaving, and how many of its pods serve.</summary>
/// <param name="Stranded">The variant may run in no pool at all, so nothing is replacing these pods.</param>
public sealed record LeavingDeployment(PlacementKey Key, string Name, int Ready, bool Stranded = false)
{
    public override string ToString() => $"{Key} ({Name}, {Ready} ready)";
}

/// <summary>
/// Make before break when a variant leaves a pool (the spec dropped the pool, the NodePool was deleted, or its hardware
/// no longer fits): the Deployment there is not pruned at once, since its pods still serve through the variant's
/// Service while the replacement starts. It is kept, unchanged (and its PodDisruptionBudget with it), while its pods are
/// ready and
/// - with a plan, the autoscaler still holds replicas there (<see cref="LeavingPools"/> lets them go once the variant's
///   replicas where it may run are ready);
/// - without one, some placement of the variant has fewer ready replicas than it wants;
/// - or the variant may run in no pool at all (a hardware change that fits none of its pools): nothing would replace
///   them, and a spec mistake must not take a serving variant down.
/// A variant removed from the spec is not moving anywhere: its Deployments go at once. Pure.
/// </summary>
public static class PoolDeparture
{
    /// <param name="pools">The NodePools that exist.</param>
    /// <param name="placements">What this reconcile places (pairs the variants may use).</param>
    /// <param name="existing">The model's Deployments as listed before this reconcile's writes.</param>
    public static IReadOnlyList<LeavingDeployment> Retained(
        RecModel model, IReadOnlyDictionary<string, NodePoolSpec> pools, IReadOnlyList<VariantPlacement> placements, IEnumerable<V1Deployment> existing, FleetPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(placements);
        ArgumentNullException.ThrowIfNull(existing);
        var uid = model.Metadata?.Uid ?? "";
        var owned = existing.Where(d => OwnedChildren.IsControlledBy(d.Metadata, uid) && d.Metadata is { DeletionTimestamp: null, Name: not null }).ToList();
        var readyByKey = owned.GroupBy(d => OwnedChildren.PlacementOf(d.Metadata)).ToDictionary(g => g.Key, g => g.Sum(d => d.Status?.ReadyReplicas ?? 0));
        var retained = new List<LeavingDeployment>();
        foreach (var deployment in owned)
        {
            var key = OwnedChildren.PlacementOf(deployment.Metadata);
            var ready = deployment.Status?.ReadyReplicas ?? 0;
            if (ready <= 0 || model.Spec.Variants.FirstOrDefault(v => v.Name == key.Variant) is not { } variant
                || HardwareFit.EligiblePools(variant, pools).Contains(key.Pool, StringComparer.Ordinal))
            {
                continue;
            }

            // A variant with no pool it may use at all has nothing to move to: its serving pods stay until it has one.
            var stranded = HardwareFit.EligiblePools(variant, pools).Count == 0;
            var keep = stranded || (plan is not null
                ? plan.Replicas.GetValueOrDefault(key) > 0
                : placements.Any(p => p.Variant.Name == key.Variant && readyByKey.GetValueOrDefault(new PlacementKey(p.Variant.Name, p.PoolName)) < p.Replicas));
            if (keep)
            {
                retained.Add(new LeavingDeployment(key, deployment.Metadata!.Name!, ready, stranded));
            }
        }

        return [.. retained.OrderBy(r => r.Name, StringComparer.Ordinal)];
    }
}
