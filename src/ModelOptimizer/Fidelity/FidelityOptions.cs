namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>How many seeded requests of how many candidates a fidelity check scores, and with how many threads.</summary>
public sealed record FidelityOptions
{
    public int Requests { get; init; } = 16;

    public int Candidates { get; init; } = 100;

    public ulong Seed { get; init; } = 7;

    /// <summary>Intra-op threads of both sessions: 1 measures per-core latency, which is how replicas are sized.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Untimed runs per model before measuring (first runs allocate and pre-pack weights).</summary>
    public int WarmupRequests { get; init; } = 2;

    public void Validate()
    {
        if (Requests < 1)
        {
            throw new Graph.ModelRejectedException($"--requests must be at least 1, got {Requests}");
        }
        if (Candidates < 1)
        {
            throw new Graph.ModelRejectedException($"--candidates must be at least 1, got {Candidates}");
        }
        if (Threads < 1)
        {
            throw new Graph.ModelRejectedException($"--threads must be at least 1, got {Threads}");
        }
    }
}
