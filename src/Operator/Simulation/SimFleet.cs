using System.Globalization;
using RecOperator.Crds;

namespace RecOperator.Operator.Simulation;

/// <summary>The simulated fleet: one model's variants, the pools, and the model's SLO and autoscaling settings.</summary>
public sealed record SimFleet
{
    public required IReadOnlyList<SimVariant> Variants { get; init; }

    public required IReadOnlyList<SimPool> Pools { get; init; }

    public required double SloP99Ms { get; init; }

    public double Headroom { get; init; } = 0.2;

    public int MinTotalReplicas { get; init; } = 2;

    public int WindowSeconds { get; init; } = 60;

    /// <summary>Requests a replica queues before it sheds load (the model's batching maxQueueSize).</summary>
    public int MaxQueuePerReplica { get; init; } = 1024;

    public int ScaleDownStabilizationSeconds { get; init; } = 120;

    /// <param name="model">The RecModel: its variants' profiles anchor every curve.</param>
    /// <param name="pools">The node pools.</param>
    /// <param name="calibration">
    /// Measured points per variant: a variant found there gets the fitted curve's shape through its own profile point,
    /// the others the guessed shape (<see cref="SimVariant.CurveSource"/> says which).
    /// </param>
    public static SimFleet FromManifests(RecModel model, IReadOnlyList<NodePool> pools, LatencyCalibration? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Spec;
        var variants = spec.Variants.Select(v =>
        {
            var capacity = v.Capacity ?? throw new ArgumentException($"spec.variants[{v.Name}].capacity is required to simulate");
            var p99 = capacity.P99LatencyMs ?? spec.Slo.P99LatencyMs;
            var simulated = new SimVariant(v.Name, v.Hardware, capacity.QpsPerReplica, v.Replicas.Min, v.Replicas.Max, v.NodePools, LatencyCurve.Calibrate(capacity.QpsPerReplica, p99));
            return calibration?.Variants.GetValueOrDefault(v.Name) is { } measured
                ? simulated with { Curve = LatencyCurve.Calibrate(capacity.QpsPerReplica, p99, measured.Shape), CurveSource = Describe(calibration.File, measured) }
                : simulated;
        }).ToList();
        var simPools = pools.Select(p => new SimPool(
            p.Metadata?.Name ?? throw new ArgumentException("NodePool metadata.name is required"),
            p.Spec.CostPerReplicaHour,
            p.Spec.CapacityLimit,
            p.Spec.Preemptible)).ToList();
        return new SimFleet
        {
            Variants = variants,
            Pools = simPools,
            SloP99Ms = spec.Slo.P99LatencyMs,
            Headroom = spec.Autoscaling.Headroom,
            MinTotalReplicas = spec.Autoscaling.MinTotalReplicas,
            WindowSeconds = spec.Autoscaling.WindowSeconds,
            MaxQueuePerReplica = spec.Batching.MaxQueueSize,
            ScaleDownStabilizationSeconds = spec.Autoscaling.ScaleDownStabilizationSeconds,
        };
    }

    private static string Describe(string file, MeasuredLatency measured) => string.Create(CultureInfo.InvariantCulture,
        $"measured: {measured.Fit.PointsUsed} of {measured.Points.Count} load-test points from {file} ({measured.Measured}), fit error {measured.Fit.RmsRelativeError * 100:F0}% rms; "
        + $"profile at {measured.Shape.ProfileUtilisation * 100:F0}% utilisation, {measured.Shape.BaseFraction * 100:F0}% of its p99 without queueing");
}
