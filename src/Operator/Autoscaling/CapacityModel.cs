namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Refines a variant's capacity online from (QPS per ready replica, p99) pairs. Pure: the caller keeps the estimate.
/// The estimate stays within [<see cref="LowerBound"/>, <see cref="UpperBound"/>] x profile so one bad window or
/// a noisy neighbour can never make the autoscaler believe a replica is worthless or limitless.
/// </summary>
public static class CapacityModel
{
    public const double LowerBound = 0.25;
    public const double UpperBound = 2.0;

    /// <summary>Weight of a new observation when raising the estimate; raises are slow on purpose, cuts are not.</summary>
    public const double RaiseWeight = 0.2;

    /// <summary>
    /// Most a p99 below the SLO may add to the evidence. Latency rises steeply near saturation, so low latency says
    /// little about how far load can grow; with headroom above this, steady load alone never raises the estimate.
    /// </summary>
    public const double MaxSlack = 1.1;

    /// <summary>Below this share of the estimate the load says too little about capacity to learn from.</summary>
    public const double MinInformativeLoad = 0.7;

    /// <summary>
    /// The estimate before any observation. A profile is itself an observation, (profile QPS, the p99 measured at it),
    /// so it is read by the same rule as the ones that follow: one taken below the SLO shows latency slack, worth at
    /// most <see cref="MaxSlack"/> more; one taken at the SLO, or without its p99, is the capacity as it stands.
    /// </summary>
    public static CapacityEstimate FromProfile(double profileQps, double? profileP99Ms, double sloP99Ms)
    {
        var slack = profileP99Ms is { } p99 && p99 > 0 && double.IsFinite(sloP99Ms) ? Math.Clamp(sloP99Ms / p99, 1.0, MaxSlack) : 1.0;
        return new CapacityEstimate(profileQps * slack, CapacitySource.Profile);
    }

    public static CapacityEstimate Update(CapacityEstimate current, double profileQps, double sloP99Ms, CapacityObservation observed)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!double.IsFinite(observed.QpsPerReadyReplica) || !double.IsFinite(observed.P99Ms) || observed.QpsPerReadyReplica <= 0)
        {
            return current;
        }

        double next;
        if (observed.P99Ms > sloP99Ms)
        {
            // The SLO broke at this load, so capacity is below it; scale by how far over the SLO we are.
            var cut = observed.QpsPerReadyReplica * Math.Clamp(sloP99Ms / observed.P99Ms, 0.5, 0.95);
            next = Math.Min(current.QpsPerReplica * 0.95, cut);
        }
        else if (observed.QpsPerReadyReplica >= MinInformativeLoad * current.QpsPerReplica)
        {
            // Sustained this load within the SLO: capacity is at least this; latency slack says how much more.
            var slack = Math.Clamp(sloP99Ms / Math.Max(observed.P99Ms, 1e-3), 1.0, MaxSlack);
            var evidence = observed.QpsPerReadyReplica * slack;
            next = evidence > current.QpsPerReplica
                ? current.QpsPerReplica + (RaiseWeight * (evidence - current.QpsPerReplica))
                : current.QpsPerReplica;
        }
        else
        {
            return current;
        }

        next = Math.Clamp(next, LowerBound * profileQps, UpperBound * profileQps);
        return Math.Abs(next - current.QpsPerReplica) < 1e-9 ? current : new CapacityEstimate(next, CapacitySource.Observed);
    }
}
