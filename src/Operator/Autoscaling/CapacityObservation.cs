namespace RecOperator.Operator.Autoscaling;

/// <summary>One window's measurement of a variant: load per ready replica and the p99 it produced.</summary>
public readonly record struct CapacityObservation(double QpsPerReadyReplica, double P99Ms)
{
    /// <summary>
    /// The variant's fleet was changing: replicas asked for were still starting, or its ready count changed within the
    /// window. Its p99 may then be the backlog queued while capacity was short, which drains once the new replicas
    /// serve and says nothing about what one replica sustains, so a breach cuts nothing; a p99 within the SLO still
    /// shows the load was served.
    /// </summary>
    public bool Settling { get; init; }
}
