namespace RecOperator.Operator.Simulation;

/// <summary>A curve fitted to a load test: the curve, how many points lay on it, and its root-mean-square relative error.</summary>
public sealed record LatencyFit(LatencyCurve Curve, int PointsUsed, double RmsRelativeError);
