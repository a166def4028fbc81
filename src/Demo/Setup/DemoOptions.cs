namespace RecOperator.Demo.Setup;

/// <summary>The demo's knobs, from `recop demo`'s flags.</summary>
public sealed record DemoOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>
    /// The demo's p99 SLO. Looser than the sample's 25 ms: on a 2-core host the API server, node agent, router,
    /// operator, load generator and every pod process share the cores, and their scheduling adds tens of ms of tail.
    /// </summary>
    public double SloMs { get; init; } = 50;

    /// <summary>Declared QPS per replica are for a production core; a share of a shared 2-core host serves less.</summary>
    public double CapacityScale { get; init; } = 0.1;

    public int WindowSeconds { get; init; } = 15;

    public int ScaleDownStabilizationSeconds { get; init; } = 30;

    public bool GpuPresent { get; init; }

    public DemoMetricsSource MetricsSource { get; init; } = DemoMetricsSource.Direct;

    public bool Tui { get; init; } = true;

    public string? SummaryJsonPath { get; init; }

    /// <summary>Leave DevCluster, the node agent and the operator running at the end.</summary>
    public bool Keep { get; init; }

    public string DataDirectory { get; init; } = Path.Combine(".build", "demo");
}
