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

    /// <summary>Each variant's ready replicas over its measured placements now, and since when that count holds.</summary>
    public static IReadOnlyDictionary<string, ReadyCount> ReadyCounts(
        RecModel model, IReadOnlyDictionary<string, ReadyCount> previous, FleetMeasurement measurement, ObservedFleet observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(observed);
        return model.Spec.Variants.ToDictionary(
            v => v.Name,
            v =>
            {
                var ready = ReadyOf(v.Name, measurement, observed);
                return previous.TryGetValue(v.Name, out var known)
                    ? (known.Ready == ready ? known : new ReadyCount(ready, now))
                    : new ReadyCount(ready, null);
            },
            StringComparer.Ordinal);
    }

    /// <param name="model">The model, for its variants, profiles, SLO and metrics window.</param>
    /// <param name="current">The estimates so far.</param>
    /// <param name="measurement">This sync's measurement: QPS and p99 over the model's window.</param>
    /// <param name="observed">The fleet now: its ready replicas divide the QPS.</param>
    /// <param name="ready">This sync's <see cref="ReadyCounts"/>.</param>
    /// <param name="starting">Variants with replicas starting (<see cref="StartingReplicas"/>): their breaches cut nothing.</param>
    /// <param name="now">This sync's time.</param>
    public static IReadOnlyDictionary<string, CapacityEstimate> Update(
        RecModel model, IReadOnlyDictionary<string, CapacityEstimate> current, FleetMeasurement measurement, ObservedFleet observed,
        IReadOnlyDictionary<string, ReadyCount> ready, IReadOnlySet<string> starting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(ready);
        ArgumentNullException.ThrowIfNull(starting);
        var window = TimeSpan.FromSeconds(model.Spec.Autoscaling.WindowSeconds);
        var p99 = measurement.VariantP99Ms();
        var next = new Dictionary<string, CapacityEstimate>(StringComparer.Ordinal);
        foreach (var variant in model.Spec.Variants)
        {
            var estimate = current.TryGetValue(variant.Name, out var known) ? known : Initial(variant, model.Spec.Slo.P99LatencyMs);
            var count = ReadyOf(variant.Name, measurement, observed);
            var qps = measurement.Window.Where(p => p.Key.Variant == variant.Name && p.Value.Qps is { } q && double.IsFinite(q)).Sum(p => p.Value.Qps!.Value);
            // QPS is a mean over the window and the ready count is now's: after the count changed within the window they
            // describe different fleets (a step from 3 to 5 replicas divides the window's mostly-3-replica load by 5,
            // a scale-down inflates it), and the window's p99 still holds the old fleet's latency. Wait a window.
            var settled = !ready.TryGetValue(variant.Name, out var counted) || counted.Since is not { } since || now - since >= window;
            if (settled && count > 0 && qps > 0 && p99.TryGetValue(variant.Name, out var latency))
            {
                var observation = new CapacityObservation(qps / count, latency) { Settling = starting.Contains(variant.Name) };
                estimate = CapacityModel.Update(estimate, ProfileQps(variant), variant.Capacity?.P99LatencyMs, model.Spec.Slo.P99LatencyMs, observation);
            }

            next[variant.Name] = estimate;
        }

        return next;
    }

    private static int ReadyOf(string variant, FleetMeasurement measurement, ObservedFleet observed) =>
        measurement.Window.Where(w => w.Key.Variant == variant).Sum(p => observed.Actual.TryGetValue(p.Key, out var a) ? a.Ready : 0);
}
