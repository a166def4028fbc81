namespace RecOperator.Operator.Fleet;

/// <summary>What the metrics source measured for one (variant, pool) over the autoscaler's window.</summary>
public sealed record MeasuredFigures(double? Qps, double? P99LatencyMs);
