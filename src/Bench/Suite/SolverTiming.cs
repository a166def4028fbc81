namespace RecOperator.Bench.Suite;

/// <summary>One problem's solve times in milliseconds, with what the solver placed and the limit.</summary>
public sealed record SolverTiming(string Name, int Pairs, int Replicas, bool Feasible, double MedianMs, double P99Ms, double MaxMs, double TargetMs);
