namespace RecOperator.Operator.Autoscaling;

/// <summary>The current QPS one replica of a variant is believed to sustain within the SLO.</summary>
public sealed record CapacityEstimate(double QpsPerReplica, CapacitySource Source)
{
    /// <summary>
    /// The lowest QPS per replica at which a settled, loaded fleet broke the SLO, while that evidence stands; null when
    /// none does. It caps the estimate's drift back towards the profile (<see cref="CapacityModel"/>), so a variant that
    /// really is slower than its profile does not creep back up into the load that broke it, again and again.
    /// </summary>
    public double? BrokenAtQps { get; init; }

    public static CapacityEstimate FromProfile(double profileQpsPerReplica) => new(profileQpsPerReplica, CapacitySource.Profile);
}
