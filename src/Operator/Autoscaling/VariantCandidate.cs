namespace RecOperator.Operator.Autoscaling;

/// <summary>A variant as the solver sees it: its current capacity estimate, its bounds and eligible pools.</summary>
/// <param name="Name">Variant name.</param>
/// <param name="QpsPerReplica">Requests per second one replica serves within the SLO (the capacity model's estimate).</param>
/// <param name="MinReplicas">Fewest replicas summed over pools.</param>
/// <param name="MaxReplicas">Most replicas summed over pools.</param>
/// <param name="Pools">Eligible node pools, by name.</param>
public sealed record VariantCandidate(string Name, double QpsPerReplica, int MinReplicas, int MaxReplicas, IReadOnlyList<string> Pools);
