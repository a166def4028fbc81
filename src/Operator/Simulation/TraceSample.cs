namespace RecOperator.Operator.Simulation;

/// <summary>Offered load at a time; load between samples is interpolated linearly.</summary>
public readonly record struct TraceSample(double TimeSeconds, double Qps);
