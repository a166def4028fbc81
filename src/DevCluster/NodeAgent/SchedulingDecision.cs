namespace RecOperator.DevCluster.NodeAgent;

/// <summary>Where a pod goes: a node name, or null with the scheduler's "0/N nodes are available: ..." message.</summary>
public sealed record SchedulingDecision(string? NodeName, string Message)
{
    public bool Scheduled => NodeName is not null;
}
