namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The built-in config: the three pools of manifests/samples/nodepools.yaml (two spot CPU nodes with the spot
/// taint, two on-demand CPU nodes, one GPU node with one nvidia.com/gpu and the GPU taint) and the project's images:
/// the operator under both names, ghcr.io/recoperator/operator (contract 2) and ghcr.io/recoperator/rec-operator (what
/// the chart and manifests/ deploy), its health port carried by --health-port.
/// </summary>
public static class DefaultNodeAgentConfig
{
    public const string Yaml = """
        pools:
        - name: cpu-spot
          count: 2
          allocatable: {cpu: "4", memory: 16Gi}
          taints:
          - {key: recoperator.io/spot, value: "true", effect: NoSchedule}
        - name: cpu-ondemand
          count: 2
          allocatable: {cpu: "4", memory: 16Gi}
        - name: gpu
          count: 1
          allocatable: {cpu: "8", memory: 32Gi, nvidia.com/gpu: "1"}
          taints:
          - {key: nvidia.com/gpu, value: present, effect: NoSchedule}
        images:
        - repository: ghcr.io/recoperator/recpod
          command: ["{repoRoot}/recop"]
          args: ["pod"]
          portEnv: {"8080": RECPOD_HTTP_PORT, "8081": RECPOD_GRPC_PORT}
        - repository: ghcr.io/recoperator/recpod-gpu
          command: ["{repoRoot}/recop"]
          args: ["pod"]
          portEnv: {"8080": RECPOD_HTTP_PORT, "8081": RECPOD_GRPC_PORT}
        - repository: ghcr.io/recoperator/operator
          command: ["{repoRoot}/recop"]
          args: ["operator"]
          portArgs: {"8081": --health-port}
        - repository: ghcr.io/recoperator/rec-operator
          command: ["{repoRoot}/recop"]
          args: ["operator"]
          portArgs: {"8081": --health-port}
        """;

    public static NodeAgentConfig For(string repositoryRoot) => NodeAgentConfigParser.Parse(Yaml, repositoryRoot);

    /// <summary>A config file read over the defaults: a file without pools or images keeps the built-in ones.</summary>
    public static NodeAgentConfig Load(string? path, string repositoryRoot) =>
        path is null ? For(repositoryRoot) : NodeAgentConfigParser.Parse(File.ReadAllText(path), repositoryRoot, For(repositoryRoot));
}
