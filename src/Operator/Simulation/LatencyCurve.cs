namespace RecOperator.Operator.Simulation;

/// <summary>
/// p99 of one replica versus its load, shaped like a batching queue (M/D/1): flat at low load, growing as
/// rho/(1-rho) towards saturation. Calibrated so that the profiled QPS gives the profiled p99 at 85% utilisation.
/// </summary>
public sealed record LatencyCurve(double SaturationQps, double BaseP99Ms, double QueueFactorMs)
{
    public const double ProfileUtilisation = 0.85;

    public static LatencyCurve Calibrate(double profileQps, double p99AtProfileMs)
    {
        var baseMs = 0.4 * p99AtProfileMs;
        var factor = (p99AtProfileMs - baseMs) * (1 - ProfileUtilisation) / ProfileUtilisation;
        return new LatencyCurve(profileQps / ProfileUtilisation, baseMs, factor);
    }

    /// <summary>p99 in milliseconds at a utilisation; beyond 0.99 the caller adds the backlog's delay.</summary>
    public double P99Ms(double utilisation)
    {
        var rho = Math.Clamp(utilisation, 0, 0.99);
        return BaseP99Ms + (QueueFactorMs * rho / (1 - rho));
    }
}
