using System.Globalization;
using RecOperator.ModelOptimizer.Graph;

namespace RecOperator.ModelOptimizer.Profiling;

/// <summary>The p99 target and the serving settings a capacity profile is measured for.</summary>
public sealed record ProfileOptions
{
    public double P99TargetMs { get; init; } = 20;
    public int Candidates { get; init; } = 100;
    public int Threads { get; init; } = 1;
    public int MaxBatchRequests { get; init; } = 8;
    public double MaxQueueDelayMs { get; init; } = 2;
    public int Samples { get; init; } = 100;
    public ulong Seed { get; init; } = 11;

    public void Validate()
    {
        if (P99TargetMs <= 0 || Candidates < 1 || Threads < 1 || MaxBatchRequests < 1 || MaxQueueDelayMs < 0 || Samples < 5)
        {
            throw new ModelRejectedException(string.Create(CultureInfo.InvariantCulture,
                $"profile: need --p99-ms > 0 (got {P99TargetMs}), --candidates >= 1 ({Candidates}), --threads >= 1 ({Threads}), --max-batch >= 1 ({MaxBatchRequests}), --max-delay-ms >= 0 ({MaxQueueDelayMs}), --samples >= 5 ({Samples})"));
        }
    }
}
