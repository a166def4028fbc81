using RecOperator.Crds;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Turns a model's spec, its pools, the measurement and the observed fleet into the policy's input. Pure.</summary>
public static class ScalingInputBuilder
{
    public static ScalingInput Build(
        RecModel model,
        IReadOnlyList<PoolCandidate> pools,
        FleetMeasurement measurement,
        IReadOnlyDictionary<string, CapacityEstimate> capacity,
        ObservedFleet observed,
        IReadOnlyDictionary<string, Crds.Models.Hardware> poolHardware)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(poolHardware);
        var known = pools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var spec = model.Spec;
        return new ScalingInput
        {
            DemandQps = FleetMeasurement.TotalQps(measurement.Window, observed.Actual),
            RecentDemandQps = FleetMeasurement.TotalQps(measurement.Recent, observed.Actual),
            Unmeasured = FleetMeasurement.Unmeasured(measurement.Window, observed.Actual),
            // A pool that does not exist (yet) is not offered: placing replicas there would leave them pending. Nor is one
            // whose hardware the variant cannot use (HardwareFit).
            Variants = [.. spec.Variants.Select(v => new VariantCandidate(
                v.Name,
                capacity.TryGetValue(v.Name, out var estimate) ? estimate.QpsPerReplica : CapacityTracker.ProfileQps(v),
                v.Replicas.Min,
                v.Replicas.Max,
                [.. v.NodePools.Where(p => known.Contains(p) && poolHardware.TryGetValue(p, out var hardware) && Desired.HardwareFit.Allows(v.Hardware, hardware))]))],
            Pools = pools,
            Headroom = spec.Autoscaling.Headroom,
            // At least one replica whatever the spec allows: demand is measured on the model's pods, and no request
            // reaches a model without any (there is no activator to hold it), so a fleet scaled to zero never came back.
            MinTotalReplicas = Math.Max(1, spec.Autoscaling.MinTotalReplicas),
            SloP99Ms = spec.Slo.P99LatencyMs,
            VariantP99Ms = measurement.VariantP99Ms(),
            Actual = observed.Actual,
        };
    }

    /// <summary>
    /// Every (variant, pool) the model may use, and those where a variant still runs Deployments in a pool it is leaving:
    /// their pods serve until the move completes (<see cref="LeavingPools"/>), so their traffic is part of the demand, and
    /// ready pods left unmeasured would read as a metrics outage.
    /// </summary>
    public static IReadOnlyList<PlacementKey> Pairs(RecModel model, ObservedFleet observed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(observed);
        var variants = model.Spec.Variants.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        return [.. model.Spec.Variants.SelectMany(v => v.NodePools.Select(p => new PlacementKey(v.Name, p)))
            .Concat(observed.DeployedReplicas.Keys.Where(k => variants.Contains(k.Variant)).OrderBy(k => k.ToString(), StringComparer.Ordinal))
            .Distinct()];
    }
}
