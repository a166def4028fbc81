using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;

namespace RecOperator.Operator.Fleet;

/// <summary>
/// The autoscaler's latest decision for one RecModel, handed to the RecModel reconciler. The reconciler is the single
/// writer of children and status: it turns <see cref="Replicas"/> into Deployments, <see cref="TrafficWeights"/> into
/// routing, and the figures and conditions here into status, so two loops never race on the same object.
/// </summary>
public sealed record FleetPlan
{
    /// <summary>Desired replicas per (variant, pool); a pair that is absent or 0 has no Deployment.</summary>
    public required IReadOnlyDictionary<PlacementKey, int> Replicas { get; init; }

    /// <summary>Share of the model's traffic per (variant, pool), 0 to 1, following replicas x capacity.</summary>
    public IReadOnlyDictionary<PlacementKey, double> TrafficWeights { get; init; } = new Dictionary<PlacementKey, double>();

    /// <summary>Measured figures per (variant, pool); absent when metrics are missing.</summary>
    public IReadOnlyDictionary<PlacementKey, MeasuredFigures> Measured { get; init; } = new Dictionary<PlacementKey, MeasuredFigures>();

    /// <summary>Each variant's current capacity estimate and where it comes from; absent variants show their profile.</summary>
    public IReadOnlyDictionary<string, CapacityEstimate> Capacity { get; init; } = new Dictionary<string, CapacityEstimate>();

    /// <summary>When and why each (variant, pool) was last rescaled.</summary>
    public IReadOnlyDictionary<PlacementKey, ScaleChange> LastScale { get; init; } = new Dictionary<PlacementKey, ScaleChange>();

    /// <summary>The autoscaler's conditions (MetricsAvailable, SLOAtRisk); the reconciler merges them into status.</summary>
    public IReadOnlyList<V1Condition> Conditions { get; init; } = [];

    /// <summary>The RecModel generation the plan was computed for.</summary>
    public long? ModelGeneration { get; init; }
}
