namespace RecOperator.Operator.Simulation;

/// <summary>A node pool of the simulated fleet.</summary>
public sealed record SimPool(string Name, double CostPerReplicaHour, int? CapacityLimit, bool Preemptible);
