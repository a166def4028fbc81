namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>What `optimize profile` measured: the sustainable QPS per replica at the p99 target, and how.</summary>
public sealed record CapacityProfile
{
    public required double QpsPerReplica { get; init; }
    public required double P99LatencyMs { get; init; }
    public required double P99TargetMs { get; init; }
    public required int CandidatesPerRequest { get; init; }
    public required int Threads { get; init; }
    public required int MaxBatchRequests { get; init; }
    public required double MaxQueueDelayMs { get; init; }
    public required string Method { get; init; }
}
