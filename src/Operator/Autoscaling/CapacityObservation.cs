namespace RecOperator.Operator.Autoscaling;

/// <summary>One window's measurement of a variant: load per ready replica and the p99 it produced.</summary>
public readonly record struct CapacityObservation(double QpsPerReadyReplica, double P99Ms);
