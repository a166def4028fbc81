namespace RecOperator.DevCluster.NodeAgent;

/// <summary>A taint every node of a pool carries, e.g. recoperator.io/spot=true:NoSchedule.</summary>
public sealed record NodeTaintConfig(string Key, string? Value, string Effect);
