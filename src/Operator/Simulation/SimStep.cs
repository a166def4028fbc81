namespace RecOperator.Operator.Simulation;

/// <summary>One simulated second: the fleet p99 and, per variant (by index), served load, p99 and ready replicas.</summary>
internal sealed record SimStep(double P99Ms, double[] Load, double[] P99, int[] Ready);
