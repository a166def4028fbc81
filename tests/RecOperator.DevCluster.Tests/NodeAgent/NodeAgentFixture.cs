using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>
/// A control plane and a node agent in-process, with real pod processes on 127.0.0.1: pools `work` (2 nodes) and
/// `spare` (1 node), and the image test.local/http mapped to a small node.js HTTP server (port env PORT).
/// </summary>
public sealed class NodeAgentFixture : IAsyncLifetime
{
    public const string HttpImage = "test.local/http:1";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("devcluster-nodeagent-").FullName;

    public DevClusterServer Server { get; private set; } = null!;

    public NodeAgentHost Agent { get; private set; } = null!;

    public KubeApiClient Client { get; private set; } = null!;

    public string LogDirectory => Path.Combine(DataDirectory, "pod-logs");

    public static string ConfigYaml => $$"""
        pools:
        - name: work
          count: 2
          allocatable: {cpu: "4", memory: 8Gi}
        - name: spare
          count: 1
          allocatable: {cpu: "2", memory: 4Gi, nvidia.com/gpu: "1"}
        images:
        - repository: test.local/http
          command: [node, "{{Path.Combine(AppContext.BaseDirectory, "testassets", "nodeagent", "http-server.js")}}"]
          portEnv: {"8080": PORT}
        """;

    public async Task InitializeAsync()
    {
        Server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = DataDirectory, Secure = false, BookmarkInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
        var options = new NodeAgentOptions
        {
            Config = NodeAgentConfigParser.Parse(ConfigYaml, RepositoryRoot.Find()),
            LogDirectory = LogDirectory,
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            ResyncInterval = TimeSpan.FromSeconds(1),
            InitialRestartBackoff = TimeSpan.FromSeconds(1),
        };
        Agent = await NodeAgentHost.StartAsync(Server.KubeconfigPath!, options, null, CancellationToken.None);
        Client = new KubeApiClient(KubeConfigLoader.Load(Server.KubeconfigPath!));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
