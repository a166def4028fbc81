namespace RecOperator.DevCluster.Networking;

/// <summary>One backendRef of a split: a Service in the route's namespace, optionally one of its ports by number, and its weight.</summary>
public sealed record WeightedBackend(string Service, int? Port, int Weight);
