using RecOperator.Crds;
using RecOperator.Crds.Models;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Keeps each variant's capacity estimate: the profile to start with, refined by <see cref="CapacityModel"/>.</summary>
public static class CapacityTracker
{
    /// <summary>
    /// Per-replica QPS assumed for a variant without a profile. Deliberately low: too many replicas cost money, too
    /// few break the SLO, and the online refinement raises a low estimate once load shows more.
    /// </summary>
    public const double UnprofiledQpsPerReplica = 10;

    public static double ProfileQps(VariantSpec variant) => variant.Capacity?.QpsPerReplica ?? UnprofiledQpsPerReplica;

    /// <summary>The estimate before any observation: from the profile (<see cref="CapacityModel.FromProfile"/>), or the low default.</summary>
    public static CapacityEstimate Initial(VariantSpec variant, double sloP99Ms)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.Capacity is { } profile
            ? CapacityModel.FromProfile(profile.QpsPerReplica, profile.P99LatencyMs, sloP99Ms)
            : new CapacityEstimate(UnprofiledQpsPerReplica, CapacitySource.Default);
    }

    public static IReadOnlyDictionary<string, CapacityEstimate> Update(
        RecModel model, IReadOnlyDictionary<string, CapacityEstimate> current, FleetMeasurement measurement, ObservedFleet observed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(measurement);
        var p99 = measurement.VariantP99Ms();
        var next = new Dictionary<string, CapacityEstimate>(StringComparer.Ordinal);
        foreach (var variant in model.Spec.Variants)
        {
            var profile = ProfileQps(variant);
            var estimate = current.TryGetValue(variant.Name, out var known) ? known : Initial(variant, model.Spec.Slo.P99LatencyMs);
            var pairs = measurement.Window.Where(w => w.Key.Variant == variant.Name).ToList();
            var ready = pairs.Sum(p => observed.Actual.TryGetValue(p.Key, out var a) ? a.Ready : 0);
            var qps = pairs.Where(p => p.Value.Qps is { } q && double.IsFinite(q)).Sum(p => p.Value.Qps!.Value);
            if (ready > 0 && qps > 0 && p99.TryGetValue(variant.Name, out var latency))
            {
                estimate = CapacityModel.Update(estimate, profile, model.Spec.Slo.P99LatencyMs, new CapacityObservation(qps / ready, latency));
            }

            next[variant.Name] = estimate;
        }

        return next;
    }
}
