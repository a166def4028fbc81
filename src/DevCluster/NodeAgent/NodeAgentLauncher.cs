using Microsoft.Extensions.Logging;
using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The one start-up hook of `recop devcluster up`: the node agent beside the API server, on its kubeconfig, with
/// the config file (or the built-in pools and images) and pod logs under the data directory.
/// </summary>
public static class NodeAgentLauncher
{
    public static async Task<NodeAgentHost> StartAsync(DevClusterServer server, string dataDirectory, string? nodesFile, CancellationToken ct)
    {
        var root = RepositoryRoot.Find();
        var options = new NodeAgentOptions
        {
            Config = DefaultNodeAgentConfig.Load(nodesFile, root),
            LogDirectory = PodLogs.DirectoryUnder(dataDirectory),
        };
        var loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information));
        return await NodeAgentHost.StartAsync(server.KubeconfigPath ?? throw new InvalidOperationException("the node agent needs a data directory (it reads DATA_DIR/kubeconfig)"),
            options, loggers, ct).ConfigureAwait(false);
    }
}
