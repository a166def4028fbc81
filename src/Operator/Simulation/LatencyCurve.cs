namespace RecOperator.Operator.Simulation;

/// <summary>
/// p99 of one replica versus its load, shaped like a batching queue (M/D/1): flat at low load, growing as
/// rho/(1-rho) towards saturation. Built through a variant's profile point (QPS, p99) with a <see cref="LatencyShape"/>:
/// measured (<see cref="LatencyCurveFit"/> over a load test's points) or, without measurements, the guessed one.
/// </summary>
public sealed record LatencyCurve(double SaturationQps, double BaseP99Ms, double QueueFactorMs)
{
    /// <summary>Utilisation beyond which the curve stops growing: past it the caller adds the backlog's delay.</summary>
    public const double MaxUtilisation = 0.99;

    /// <summary>The guessed shape's profile utilisation (<see cref="LatencyShape.Guessed"/>).</summary>
    public static double ProfileUtilisation => LatencyShape.Guessed.ProfileUtilisation;

    public static LatencyCurve Calibrate(double profileQps, double p99AtProfileMs) => Calibrate(profileQps, p99AtProfileMs, LatencyShape.Guessed);

    /// <summary>The curve of this shape that passes through the profile point exactly.</summary>
    public static LatencyCurve Calibrate(double profileQps, double p99AtProfileMs, LatencyShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var utilisation = shape.ProfileUtilisation;
        var baseMs = shape.BaseFraction * p99AtProfileMs;
        var factor = (p99AtProfileMs - baseMs) * (1 - utilisation) / utilisation;
        return new LatencyCurve(profileQps / utilisation, baseMs, factor);
    }

    /// <summary>Least-squares fit to a load test's points; see <see cref="LatencyCurveFit.Fit"/>.</summary>
    public static LatencyCurve Fit(IReadOnlyList<LatencyPoint> points) => LatencyCurveFit.Fit(points).Curve;

    /// <summary>p99 in milliseconds at a utilisation; beyond <see cref="MaxUtilisation"/> the caller adds the backlog's delay.</summary>
    public double P99Ms(double utilisation)
    {
        var rho = Math.Clamp(utilisation, 0, MaxUtilisation);
        return BaseP99Ms + (QueueFactorMs * rho / (1 - rho));
    }
}
