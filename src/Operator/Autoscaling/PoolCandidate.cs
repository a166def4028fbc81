namespace RecOperator.Operator.Autoscaling;

/// <summary>A node pool as the solver sees it: its price and how many replica slots this model may use.</summary>
/// <param name="Name">Pool name.</param>
/// <param name="CostPerReplicaHour">Price of one replica-hour.</param>
/// <param name="Slots">Replica slots available to this model; null means unlimited.</param>
/// <param name="Preemptible">Nodes can be taken away at short notice (spot): capacity there is not counted as reserve.</param>
/// <param name="Capacity">
/// Replicas the pool's ready nodes hold in all (NodePool status allocatableSlots), whoever uses them; null when unknown.
/// Unlike <paramref name="Slots"/> it does not move with this model's own replicas, so growth means the pool got bigger.
/// </param>
public sealed record PoolCandidate(string Name, double CostPerReplicaHour, int? Slots, bool Preemptible = false, int? Capacity = null);
