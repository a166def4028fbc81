namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One pool of identical local nodes: each node of the pool gets the labels (plus `recoperator.io/pool: NAME`),
/// the taints and the allocatable resources (cpu, memory and extended resources such as nvidia.com/gpu).
/// </summary>
public sealed record NodePoolConfig
{
    public required string Name { get; init; }

    public int Count { get; init; } = 1;

    /// <summary>Allocatable resources of each node, as quantities: {"cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "1"}.</summary>
    public IReadOnlyDictionary<string, string> Allocatable { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<NodeTaintConfig> Taints { get; init; } = [];

    /// <summary>The label every node of a pool carries, which the samples' nodeSelectors match.</summary>
    public const string PoolLabel = "recoperator.io/pool";

    /// <summary>Node names are POOL-0, POOL-1, ...: stable across restarts, so pods stay bound to them.</summary>
    public string NodeName(int index) => $"{Name}-{index}";
}
