namespace RecOperator.Bench.Suite;

/// <summary>The paper's claim measured here: throughput at the SLO and p99 at a load both hold, and the quality cost.</summary>
public sealed record HeadlineFigures
{
    public required double ThroughputRatio { get; init; }
    public required double P99Ratio { get; init; }
    public required double AucDrop { get; init; }
    public required double Top10Agreement { get; init; }
    public required double BaselineMaxRps { get; init; }
    public required double OptimizedMaxRps { get; init; }
    public required double FixedLoadRps { get; init; }
    public required double BaselineP99Ms { get; init; }
    public required double OptimizedP99Ms { get; init; }
}
