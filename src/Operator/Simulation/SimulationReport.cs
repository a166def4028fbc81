namespace RecOperator.Operator.Simulation;

/// <summary>Our policy and the HPA baselines on one trace; the baseline is the best single-variant HPA.</summary>
public sealed record SimulationReport(string Trace, SimulationResult RecOperator, SimulationResult Hpa, IReadOnlyList<SimulationResult> AllHpa);
