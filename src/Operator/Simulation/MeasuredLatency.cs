namespace RecOperator.Operator.Simulation;

/// <summary>
/// One variant's load test from a calibration file: what was measured (<paramref name="Measured"/>), the profile the
/// load test found there, its points, and the curve fitted to them with the shape that curve has at that profile.
/// </summary>
public sealed record MeasuredLatency(string Measured, double ProfileQps, IReadOnlyList<LatencyPoint> Points, LatencyFit Fit)
{
    public LatencyShape Shape => LatencyShape.Of(Fit.Curve, ProfileQps);
}
