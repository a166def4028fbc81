using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// The RecModel status for what was applied and observed: totals, per variant and pool replicas, ready and desired,
/// the plan's figures and weights, and the Ready, Progressing and Degraded conditions with the plan's merged in.
/// Figures are rounded (<see cref="StatusFigures"/>), and measured only where a pod is ready. Pools that do not exist
/// are not listed; the Degraded condition names them. Pure.
/// </summary>
public static class RecModelStatusBuilder
{
    public static RecModelStatus Build(RecModel model, RecModelObservation observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observed);
        var generation = model.Metadata?.Generation;
        var deployments = observed.Deployments.GroupBy(d => OwnedChildren.PlacementOf(d.Metadata)).ToDictionary(g => g.Key, g => g.First());
        var shares = observed.Plan?.TrafficWeights is { Count: > 0 } planShares ? planShares : Shares(observed.Placements);
        // With nothing ready in a pool, what the window still holds of its last traffic is stale: no figures there.
        var measured = (observed.Plan?.Measured ?? new Dictionary<PlacementKey, MeasuredFigures>())
            .Where(m => (deployments.GetValueOrDefault(m.Key)?.Status?.ReadyReplicas ?? 0) > 0)
            .ToDictionary(m => m.Key, m => m.Value);
        var missing = observed.MissingPools.ToHashSet();
        var variants = model.Spec.Variants.Select(v => Variant(v, model.Spec.Slo.P99LatencyMs, observed, deployments, shares, measured, missing)).ToList();
        var conditions = model.Status?.Conditions ?? [];
        foreach (var condition in WorkloadConditions(observed, variants, generation, now))
        {
            conditions = Conditions.Set(conditions, condition);
        }

        conditions = Conditions.Set(conditions, Conditions.Make(Conditions.InvalidSpec, false, "Valid", "the spec passed validation", generation, now));
        foreach (var planned in observed.Plan?.Conditions ?? [])
        {
            conditions = Conditions.Set(conditions, planned);
        }

        var figures = measured.Values;
        return new RecModelStatus
        {
            ObservedGeneration = generation,
            Conditions = conditions,
            Replicas = variants.Sum(v => v.Replicas),
            ReadyReplicas = variants.Sum(v => v.ReadyReplicas),
            Qps = StatusFigures.Qps(figures.Any(m => m.Qps is not null) ? figures.Sum(m => m.Qps ?? 0) : null),
            P99LatencyMs = StatusFigures.LatencyMs(figures.Max(m => m.P99LatencyMs)),
            CostPerHour = StatusFigures.Cost(observed.Placements.Sum(p => p.Replicas * p.Pool.CostPerReplicaHour)),
            Variants = variants,
        };
    }

    /// <summary>An invalid spec: only InvalidSpec (and observedGeneration) change; everything else is left as it was.</summary>
    public static RecModelStatus Invalid(RecModel model, IReadOnlyList<string> errors, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        var generation = model.Metadata?.Generation;
        var status = model.Status ?? new RecModelStatus();
        var condition = Conditions.Make(Conditions.InvalidSpec, true, "ValidationFailed", string.Join("; ", errors), generation, now);
        return status with { ObservedGeneration = generation, Conditions = Conditions.Set(status.Conditions, condition) };
    }

    private static VariantStatus Variant(
        VariantSpec spec, double sloP99Ms, RecModelObservation observed, Dictionary<PlacementKey, V1Deployment> deployments, IReadOnlyDictionary<PlacementKey, double> shares,
        Dictionary<PlacementKey, MeasuredFigures> measuredFigures, HashSet<PlacementKey> missingPools)
    {
        var pools = spec.NodePools.Distinct(StringComparer.Ordinal).Where(pool => !missingPools.Contains(new PlacementKey(spec.Name, pool))).Select(pool =>
        {
            var key = new PlacementKey(spec.Name, pool);
            var deployment = deployments.GetValueOrDefault(key);
            var measured = measuredFigures.GetValueOrDefault(key);
            var scale = observed.Plan?.LastScale.GetValueOrDefault(key);
            return new VariantPoolStatus
            {
                Pool = pool,
                Replicas = deployment?.Status?.Replicas ?? 0,
                ReadyReplicas = deployment?.Status?.ReadyReplicas ?? 0,
                DesiredReplicas = observed.Placements.FirstOrDefault(p => p.Variant.Name == spec.Name && p.PoolName == pool)?.Replicas ?? 0,
                Qps = StatusFigures.Qps(measured?.Qps),
                P99LatencyMs = StatusFigures.LatencyMs(measured?.P99LatencyMs),
                TrafficWeight = StatusFigures.Share(shares.GetValueOrDefault(key)) ?? 0,
                LastScaleTime = scale?.At,
                LastScaleReason = scale?.Reason,
            };
        }).ToList();
        // The autoscaler's estimate once it has one; before its first plan, the one it starts from.
        var capacity = observed.Plan?.Capacity.GetValueOrDefault(spec.Name) ?? CapacityTracker.Initial(spec, sloP99Ms);
        return new VariantStatus
        {
            Name = spec.Name,
            Replicas = pools.Sum(p => p.Replicas),
            ReadyReplicas = pools.Sum(p => p.ReadyReplicas),
            DesiredReplicas = pools.Sum(p => p.DesiredReplicas),
            CapacityQpsPerReplica = StatusFigures.Qps(capacity.QpsPerReplica),
            CapacitySource = capacity.Source.ToString(),
            Pools = pools,
        };
    }

    private static IEnumerable<V1Condition> WorkloadConditions(RecModelObservation observed, List<VariantStatus> variants, long? generation, DateTimeOffset now)
    {
        var desired = variants.Sum(v => v.DesiredReplicas);
        var ready = variants.Sum(v => v.ReadyReplicas);
        var problems = observed.Problems;
        var notReady = variants.SelectMany(v => v.Pools.Where(p => p.ReadyReplicas < p.DesiredReplicas).Select(p => $"{v.Name}@{p.Pool} {p.ReadyReplicas}/{p.DesiredReplicas}")).ToList();
        var missingPools = observed.MissingPools.Select(NodePoolReferences.Describe).ToList();
        var unplaceable = missingPools.Concat(observed.HardwareMismatches).Concat(observed.ShortOfRoom).ToList();
        yield return desired == 0
            ? Conditions.Make(Conditions.Ready, false, "NoReplicas", unplaceable.Count > 0
                ? $"no variant is placed: {string.Join("; ", unplaceable)}"
                : "no variant is placed in an existing NodePool", generation, now)
            : notReady.Count == 0
                ? Conditions.Make(Conditions.Ready, true, "ReplicasReady", $"{ready} of {desired} replicas ready", generation, now)
                : Conditions.Make(Conditions.Ready, false, "ReplicasNotReady", $"not ready: {string.Join(", ", notReady)}", generation, now);

        var rollingOut = observed.Deployments.Where(DeploymentRollout.InProgress).Select(d => d.Metadata?.Name).ToList();
        var moving = observed.Leaving.Where(l => !l.Stranded).ToList();
        var stranded = observed.Leaving.Where(l => l.Stranded).ToList();
        var leaving = (moving.Count > 0 ? $"; leaving once the replacements are ready: {string.Join(", ", moving)}" : "")
            + (stranded.Count > 0 ? $"; kept while their variant may run in no pool: {string.Join(", ", stranded)}" : "");
        yield return problems.StuckDeployments.Count > 0
            ? Conditions.Make(Conditions.Progressing, false, Conditions.RolloutStuck, $"progress deadline exceeded: {string.Join(", ", problems.StuckDeployments)}", generation, now)
            : rollingOut.Count > 0 || notReady.Count > 0
                ? Conditions.Make(Conditions.Progressing, true, "RollingOut", RollingOutMessage(rollingOut, ready, desired) + leaving, generation, now)
                : observed.Leaving.Count > 0
                    ? Conditions.Make(Conditions.Progressing, true, Conditions.LeavingPool, $"{ready} of {desired} replicas ready{leaving}", generation, now)
                    : Conditions.Make(Conditions.Progressing, false, "Complete", "every Deployment is up to date", generation, now);

        yield return problems switch
        {
            // First the children that cannot be written at all: their pods cannot even exist, and only renaming a
            // model or variant (or removing the other object) fixes it.
            _ when observed.Conflicts.Count > 0 => Conditions.Make(Conditions.Degraded, true, Conditions.NameConflict,
                $"not applied, the name is taken: {string.Join("; ", observed.Conflicts)}", generation, now),
            // Then the pods that never start (an unmountable caBundle, a missing credentials Secret): no other
            // problem of theirs can show, and the fix is outside the model.
            { CaBundleErrors.Count: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.ArtifactCaUnavailable, string.Join("; ", problems.CaBundleErrors), generation, now),
            { CredentialsErrors.Count: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.ArtifactCredentialsUnavailable,
                string.Join("; ", problems.CredentialsErrors), generation, now),
            { ArtifactErrors.Count: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.ArtifactUnavailable, string.Join("; ", problems.ArtifactErrors), generation, now),
            { CrashLoops.Count: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.CrashLoopBackOff, string.Join("; ", problems.CrashLoops), generation, now),
            { Unschedulable: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.NoCapacity, $"{(problems.Unschedulable == 1 ? "1 pod cannot" : $"{problems.Unschedulable} pods cannot")} be scheduled: {string.Join("; ", problems.UnschedulableReasons)}", generation, now),
            _ when observed.ShortOfRoom.Count > 0 => Conditions.Make(Conditions.Degraded, true, Conditions.NoCapacity, string.Join("; ", observed.ShortOfRoom), generation, now),
            { StuckDeployments.Count: > 0 } => Conditions.Make(Conditions.Degraded, true, Conditions.RolloutStuck, $"rollout stuck: {string.Join(", ", problems.StuckDeployments)}", generation, now),
            _ when missingPools.Count > 0 => Conditions.Make(Conditions.Degraded, true, Conditions.NodePoolNotFound, string.Join("; ", missingPools), generation, now),
            _ when observed.HardwareMismatches.Count > 0 => Conditions.Make(Conditions.Degraded, true, Conditions.HardwareMismatch,
                string.Join("; ", observed.HardwareMismatches), generation, now),
            _ => Conditions.Make(Conditions.Degraded, false, "AsExpected", "no problem found", generation, now),
        };
    }

    // The replica count alone hid a rollout whose new pods fail while the old ones serve on (all ready, nothing new):
    // the Deployments that have not finished are named.
    private static string RollingOutMessage(List<string?> rollingOut, int ready, int desired) =>
        rollingOut.Count == 0 ? $"{ready} of {desired} replicas ready" : $"{ready} of {desired} replicas ready; rolling out: {string.Join(", ", rollingOut)}";

    // Without a plan, each pair's share of traffic follows replicas x profiled capacity, as the routing weights do.
    private static Dictionary<PlacementKey, double> Shares(IReadOnlyList<VariantPlacement> placements)
    {
        var raw = placements.ToDictionary(p => new PlacementKey(p.Variant.Name, p.PoolName), p => p.Replicas * (p.Variant.Capacity?.QpsPerReplica ?? 1.0));
        var total = raw.Values.Sum();
        return raw.ToDictionary(r => r.Key, r => total > 0 ? r.Value / total : 0);
    }
}
