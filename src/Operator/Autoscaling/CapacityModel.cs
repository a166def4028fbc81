namespace RecOperator.Operator.Autoscaling;

/// <summary>
/// Refines a variant's capacity online from (QPS per ready replica, p99) pairs. Pure: the caller keeps the estimate.
/// The estimate stays within [<see cref="LowerBound"/>, <see cref="UpperBound"/>] x profile so one bad window or
/// a noisy neighbour can never make the autoscaler believe a replica is worthless or limitless.
/// </summary>
/// <remarks>
/// Three rules. A breach cuts, once per load: only a settled fleet carrying load near its estimate says capacity is
/// short (a backlog while replicas start, or latency at a load far below the estimate, is not saturation), and a cut
/// goes to the load that broke the SLO scaled by how far over it was, never compounding sync after sync. Load served
/// within the SLO raises, slowly, when it shows more than the estimate. And an estimate below the profile drifts back
/// to it while p99 is comfortably under the SLO at a load that says something, up to just under the load that last
/// broke the SLO (<see cref="CapacityEstimate.BrokenAtQps"/>), which itself fades while p99 stays comfortable. A
/// fleet runs with headroom, each replica at about estimate / (1 + headroom), so without the drift nothing it measures
/// after an overload could ever lift a cut estimate again.
/// </remarks>
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
    /// Most one cut takes: the estimate goes to at least this share of the load that broke the SLO. A p99 far above
    /// the SLO is a queue, and a queue's length says how long the overload lasted, not how far over capacity it was.
    /// </summary>
    public const double MaxCut = 0.5;

    /// <summary>
    /// Least one cut takes: the estimate goes at most this share of the load that broke the SLO, and the drift back
    /// towards the profile stops there too.
    /// </summary>
    public const double BreachMargin = 0.95;

    /// <summary>
    /// p99 at or below this share of the SLO is comfortable: the drift back towards the profile goes on. Above it
    /// the replicas are near where latency climbs, so the estimate waits for evidence instead (a p99 between this and
    /// the SLO neither cuts nor drifts). High enough for a profile measured at the SLO: such a replica runs at about
    /// 80% of the SLO at profile / (1 + headroom).
    /// </summary>
    public const double ComfortableLatency = 0.8;

    /// <summary>
    /// Share of the gap to the profile one comfortable observation closes: 90% of it in about 45 observations
    /// (4 minutes of 5 s syncs), slower than the stabilization window lets a smaller fleet show its p99.
    /// </summary>
    public const double RecoveryWeight = 0.05;

    /// <summary>
    /// How much one comfortable observation lifts <see cref="CapacityEstimate.BrokenAtQps"/>: 0.2%, about a quarter in
    /// 10 minutes of 5 s syncs. A breach from a passing cause (a noisy neighbour, a slow node) is forgotten; one the
    /// replicas cause comes back before the fleet shrinks into it, because p99 stops being comfortable first.
    /// </summary>
    public const double BreachFade = 0.002;

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

    /// <param name="current">The estimate so far.</param>
    /// <param name="profileQps">The profile's QPS per replica: the bounds are multiples of it.</param>
    /// <param name="profileP99Ms">The p99 the profile was measured at, if known: with it, where the estimate drifts back to (<see cref="FromProfile"/>).</param>
    /// <param name="sloP99Ms">The SLO.</param>
    /// <param name="observed">This window's load per ready replica and p99.</param>
    public static CapacityEstimate Update(CapacityEstimate current, double profileQps, double? profileP99Ms, double sloP99Ms, CapacityObservation observed)
    {
        ArgumentNullException.ThrowIfNull(current);
        var load = observed.QpsPerReadyReplica;
        if (!double.IsFinite(load) || !double.IsFinite(observed.P99Ms) || load <= 0)
        {
            return current;
        }

        var estimate = current.QpsPerReplica;
        var prior = FromProfile(profileQps, profileP99Ms, sloP99Ms).QpsPerReplica;
        var informative = load >= MinInformativeLoad * estimate;
        double next;
        double? brokenAt;
        if (observed.P99Ms > sloP99Ms)
        {
            if (observed.Settling || !informative)
            {
                // A backlog from while capacity started, or latency at a load far below the estimate (a slow
                // dependency, a noisy node): more replicas are the SLO guard's call, and cutting on it would compound
                // as each cut's replicas lower the load per replica.
                return current;
            }

            // The SLO broke at this load, so capacity is below it; scale by how far over the SLO we are. Only ever
            // down to what this breach shows: the same breach seen again at the next sync cuts nothing more.
            var cut = load * Math.Clamp(sloP99Ms / observed.P99Ms, MaxCut, BreachMargin);
            next = Math.Min(estimate, cut);
            brokenAt = Math.Min(current.BrokenAtQps ?? load, load);
        }
        else
        {
            // Sustained this load within the SLO: capacity is at least this; latency slack says how much more.
            var slack = Math.Clamp(sloP99Ms / Math.Max(observed.P99Ms, 1e-3), 1.0, MaxSlack);
            var evidence = load * slack;
            next = evidence > estimate ? estimate + (RaiseWeight * (evidence - estimate)) : estimate;
            // Served within the SLO at the load that once broke it: that breach was not the replicas' doing.
            brokenAt = current.BrokenAtQps is { } broken && load < broken ? broken : null;
            if (informative && observed.P99Ms <= ComfortableLatency * sloP99Ms)
            {
                brokenAt *= 1 + BreachFade;
                next = Recover(next, prior, brokenAt);
            }
        }

        next = Math.Clamp(next, LowerBound * profileQps, UpperBound * profileQps);
        // A breach whose margin no longer caps the drift (it lies above the profile) is nothing left to remember.
        brokenAt = brokenAt * BreachMargin < prior ? brokenAt : null;
        var moved = Math.Abs(next - estimate) >= 1e-9;
        return !moved && brokenAt == current.BrokenAtQps
            ? current
            : new CapacityEstimate(moved ? next : estimate, moved ? CapacitySource.Observed : current.Source) { BrokenAtQps = brokenAt };
    }

    /// <summary>One step of the drift back towards <paramref name="prior"/>, never above <see cref="BreachMargin"/> x the load that broke the SLO.</summary>
    private static double Recover(double estimate, double prior, double? brokenAt)
    {
        var target = Math.Min(prior, BreachMargin * (brokenAt ?? double.PositiveInfinity));
        if (estimate >= target)
        {
            return estimate;
        }

        var next = estimate + (RecoveryWeight * (target - estimate));
        // The last 1% is noise next to any measurement; close it rather than approach it forever.
        return target - next <= 0.01 * target ? target : next;
    }
}
