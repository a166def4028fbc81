namespace RecOperator.Onnx;

/// <summary>How a session is created: threading, optimization, memory arena and execution providers.</summary>
public sealed record InferenceSessionOptions
{
    /// <summary>Threads inside one operator (0 = the engine's default: one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across operators when <see cref="ExecutionMode"/> is Parallel (0 = default).</summary>
    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    /// <summary>The CPU memory arena trades memory for fewer allocations; on by default.</summary>
    public bool EnableCpuMemoryArena { get; init; } = true;

    /// <summary>Providers in priority order; the CPU provider is always the last resort.</summary>
    public IReadOnlyList<ExecutionProviderRequest> ExecutionProviders { get; init; } = [];

    public static InferenceSessionOptions Default { get; } = new();

    /// <summary>Checks the numbers before any native call, naming the wrong field.</summary>
    public void Validate()
    {
        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"IntraOpThreads must be 0 (default) or more, got {IntraOpThreads}", nameof(IntraOpThreads));
        }
        if (InterOpThreads < 0)
        {
            throw new ArgumentException($"InterOpThreads must be 0 (default) or more, got {InterOpThreads}", nameof(InterOpThreads));
        }
        if (!Enum.IsDefined(GraphOptimization))
        {
            throw new ArgumentException($"GraphOptimization {(int)GraphOptimization} is not a known level", nameof(GraphOptimization));
        }
        foreach (var provider in ExecutionProviders)
        {
            if (string.IsNullOrWhiteSpace(provider.Name))
            {
                throw new ArgumentException("ExecutionProviders: a provider has an empty name", nameof(ExecutionProviders));
            }
        }
    }
}
