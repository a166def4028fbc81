namespace RecOperator.Operator.Simulation;

/// <summary>
/// One rate of an open-loop load test of a single replica: the offered (scheduled) rate, the rate it served, its p99
/// counted from each request's scheduled start, and the requests that failed.
/// </summary>
public sealed record LatencyPoint(double OfferedQps, double ServedQps, double P99Ms, int Failed = 0)
{
    /// <summary>
    /// Below this share of the offered rate served, the replica fell behind and its backlog grew during the run: the
    /// load test's own rule (LoadTestedCapacity), loose enough for the Poisson spread of a short run at a low rate.
    /// </summary>
    public const double KeptUpShare = 0.9;

    /// <summary>
    /// True when the point lies on the curve: nothing failed and the replica served the arrivals. A point that fell
    /// behind only says the saturation rate is below it (its p99 is the length of the run, not of the queue).
    /// </summary>
    public bool KeptUp => Failed == 0 && ServedQps >= KeptUpShare * OfferedQps;

    /// <summary>A point read off a known curve (tests, and profiles without a load test): served as offered, nothing failed.</summary>
    public static LatencyPoint OnCurve(double qps, double p99Ms) => new(qps, qps, p99Ms);
}
