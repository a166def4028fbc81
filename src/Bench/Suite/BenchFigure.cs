namespace RecOperator.Bench.Suite;

/// <summary>One figure of the table: what was compared, the ratio or value, and how it was measured.</summary>
public sealed record BenchFigure(string Section, string Name, double Value, string Unit, string Detail);
