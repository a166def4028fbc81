namespace RecOperator.Operator.Autoscaling;

/// <summary>A capacity the loop asked for at a time; the stabilization window keeps the largest recent one.</summary>
public readonly record struct DemandRecord(DateTimeOffset At, double RequiredQps);
