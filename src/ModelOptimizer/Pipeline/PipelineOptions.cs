using RecOperator.ModelOptimizer.Fidelity;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>Where a transforming command writes and how it checks what it wrote.</summary>
public sealed record PipelineOptions
{
    public required string InputPath { get; init; }

    public required string OutputFolder { get; init; }

    /// <summary>The fidelity check every transformed artifact gets before it is published (a small default run).</summary>
    public FidelityOptions Fidelity { get; init; } = new() { Requests = 8, Candidates = 64 };

    /// <summary>
    /// Thresholds the fidelity check must meet before anything is published; null publishes whatever the check measured
    /// (the CLI sets the verify --gate defaults unless --no-gate).
    /// </summary>
    public FidelityGate? Gate { get; init; }

    /// <summary>Node pool written into the printed variant entry.</summary>
    public string NodePool { get; init; } = "default";
}
