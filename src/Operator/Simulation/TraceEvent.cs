namespace RecOperator.Operator.Simulation;

/// <summary>A node pool going down or coming back at a time of a trace.</summary>
public sealed record TraceEvent(double TimeSeconds, TraceEventKind Kind, string Pool);
