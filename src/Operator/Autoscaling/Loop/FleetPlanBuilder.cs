using RecOperator.Crds;
using RecOperator.Operator.Fleet;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>Turns one decision into the <see cref="FleetPlan"/> the reconciler applies. Pure.</summary>
public static class FleetPlanBuilder
{
    public static FleetPlan Build(
        RecModel model, ScalingDecision decision, IReadOnlyDictionary<PlacementKey, int> previousReplicas, FleetMeasurement measurement,
        IReadOnlyDictionary<string, CapacityEstimate> capacity, FleetPlan? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(previousReplicas);
        ArgumentNullException.ThrowIfNull(measurement);
        var replicas = decision.Replicas.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => r.Value);
        return new FleetPlan
        {
            Replicas = replicas,
            TrafficWeights = Weights(replicas, capacity),
            Measured = measurement.Window.Where(s => s.Value.Qps is not null || s.Value.P99Ms is not null)
                .ToDictionary(s => s.Key, s => new MeasuredFigures(s.Value.Qps, s.Value.P99Ms)),
            Capacity = capacity,
            LastScale = LastScale(replicas, previousReplicas, decision.Explanation, previous, now),
            Conditions = AutoscalerConditions.Build(decision, measurement.VariantP99Ms(), model.Spec.Slo.P99LatencyMs, model.Metadata?.Generation, previous?.Conditions ?? [], now),
            ModelGeneration = model.Metadata?.Generation,
        };
    }

    /// <summary>Each placement's share of traffic follows what it can serve: replicas x the variant's capacity.</summary>
    public static IReadOnlyDictionary<PlacementKey, double> Weights(IReadOnlyDictionary<PlacementKey, int> replicas, IReadOnlyDictionary<string, CapacityEstimate> capacity)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(capacity);
        var served = replicas.ToDictionary(r => r.Key, r => r.Value * (capacity.TryGetValue(r.Key.Variant, out var c) ? c.QpsPerReplica : 0));
        var total = served.Values.Sum();
        return total <= 0 ? new Dictionary<PlacementKey, double>() : served.ToDictionary(s => s.Key, s => s.Value / total);
    }

    private static Dictionary<PlacementKey, ScaleChange> LastScale(
        IReadOnlyDictionary<PlacementKey, int> replicas, IReadOnlyDictionary<PlacementKey, int> previousReplicas,
        string reason, FleetPlan? previous, DateTimeOffset now)
    {
        var changes = new Dictionary<PlacementKey, ScaleChange>(previous?.LastScale ?? new Dictionary<PlacementKey, ScaleChange>());
        foreach (var key in replicas.Keys.Union(previousReplicas.Keys))
        {
            var before = previousReplicas.GetValueOrDefault(key);
            var after = replicas.GetValueOrDefault(key);
            if (before != after)
            {
                changes[key] = new ScaleChange(now, $"{before} -> {after}: {reason}");
            }
        }

        return changes;
    }
}
