using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Tests.NodeAgent;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// A control plane and node agent of their own for the drain tests (they cordon and drain nodes, which would move the
/// shared node agent cluster's pods): one pool `drain` of three nodes, drain-0..2, and the test HTTP image.
/// </summary>
public sealed class DrainCluster : IAsyncLifetime
{
    public const string Pool = "drain";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("devcluster-drain-").FullName;

    public DevClusterServer Server { get; private set; } = null!;

    public NodeAgentHost Agent { get; private set; } = null!;

    public KubeApiClient Client { get; private set; } = null!;

    public string Kubeconfig => Server.KubeconfigPath!;

    public static string Node(int index) => $"{Pool}-{index}";

    public async Task InitializeAsync()
    {
        Server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = DataDirectory, Secure = false }, CancellationToken.None);
        var config = $$"""
            pools:
            - name: {{Pool}}
              count: 3
              allocatable: {cpu: "4", memory: 8Gi}
            images:
            - repository: test.local/http
              command: [node, "{{Kubectl.Asset(Path.Combine("nodeagent", "http-server.js"))}}"]
              portEnv: {"8080": PORT}
            """;
        var options = new NodeAgentOptions
        {
            Config = NodeAgentConfigParser.Parse(config, RepositoryRoot.Find()),
            LogDirectory = Path.Combine(DataDirectory, "pod-logs"),
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        Agent = await NodeAgentHost.StartAsync(Kubeconfig, options, null, CancellationToken.None);
        Client = new KubeApiClient(KubeConfigLoader.Load(Kubeconfig));
    }

    public Task<Kubectl.Result> KubectlAsync(IEnumerable<string> args, int timeoutSeconds = 30) => Kubectl.RunAsync(Kubeconfig, args, timeoutSeconds: timeoutSeconds);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>The HTTP test pod spec of <see cref="PodTestKit"/>, in this cluster's pool.</summary>
    public static Kube.Models.V1PodSpec PodSpec() => PodTestKit.HttpPodSpec(Pool, grace: 5);
}
