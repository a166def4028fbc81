namespace RecOperator.Operator.Simulation;

/// <summary>
/// The shape of a replica's p99-versus-load curve without its scale: the utilisation at which the profiled QPS sits,
/// and the share of the profiled p99 that is there with no queue at all. Two numbers carry a measured curve over to
/// a variant whose profile (QPS, p99) was taken elsewhere: the curve is rebuilt through that profile point.
/// </summary>
public sealed record LatencyShape(double ProfileUtilisation, double BaseFraction)
{
    /// <summary>The guess used when nothing was measured: profile at 85% utilisation, 40% of its p99 without queueing.</summary>
    public static LatencyShape Guessed { get; } = new(0.85, 0.4);

    /// <summary>The shape of a fitted curve seen from the profile its load test found (the highest rate that held).</summary>
    public static LatencyShape Of(LatencyCurve curve, double profileQps)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (!(profileQps > 0))
        {
            throw new ArgumentException($"profile QPS must be positive, got {profileQps}", nameof(profileQps));
        }

        // The profile rate held, so it sits below saturation; the clamp only guards a profile taken from another run.
        var utilisation = Math.Min(profileQps / curve.SaturationQps, LatencyCurve.MaxUtilisation);
        return new LatencyShape(utilisation, curve.BaseP99Ms / curve.P99Ms(utilisation));
    }
}
