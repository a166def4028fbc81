namespace RecOperator.Demo.Load;

/// <summary>One answered (or failed) request: when it was scheduled, its latency counted from then, and success.</summary>
public readonly record struct RequestOutcome(TimeSpan ScheduledAt, double LatencyMs, bool Ok);
