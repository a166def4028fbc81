namespace RecOperator.Operator.Autoscaling;

/// <summary>The current QPS one replica of a variant is believed to sustain within the SLO.</summary>
public sealed record CapacityEstimate(double QpsPerReplica, CapacitySource Source)
{
    public static CapacityEstimate FromProfile(double profileQpsPerReplica) => new(profileQpsPerReplica, CapacitySource.Profile);
}
