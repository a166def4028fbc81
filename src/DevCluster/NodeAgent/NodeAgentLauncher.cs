using Microsoft.Extensions.Logging;
using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The one start-up hook of `recop devcluster up`: the node agent beside the API server, on its kubeconfig, with
/// the config file (or the built-in pools and images) and pod logs under the data directory.
/// </summary>
public static class NodeAgentLauncher
{
    /// <summary>The config of `--nodes FILE` over the built-in one (or the built-in one); bad files are an <see cref="ArgumentException"/> naming the option.</summary>
    public static NodeAgentConfig LoadConfig(string? nodesFile)
    {
        try
        {
            return DefaultNodeAgentConfig.Load(nodesFile, RepositoryRoot.Find());
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--nodes {nodesFile}: {e.Message}", e);
        }
    }

    /// <summary>Starts the agent; <paramref name="loggers"/> (the caller's, disposed after the agent) gets its log.</summary>
    public static async Task<NodeAgentHost> StartAsync(DevClusterServer server, string dataDirectory, NodeAgentConfig config, ILoggerFactory loggers, CancellationToken ct)
    {
        var options = new NodeAgentOptions { Config = config, LogDirectory = PodLogs.DirectoryUnder(dataDirectory) };
        return await NodeAgentHost.StartAsync(server.KubeconfigPath ?? throw new InvalidOperationException("the node agent needs a data directory (it reads DATA_DIR/kubeconfig)"),
            options, loggers, ct).ConfigureAwait(false);
    }

    /// <summary>One line per message on the console, information and above: what `devcluster up` prints.</summary>
    public static ILoggerFactory ConsoleLoggers() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(LogLevel.Information));
}
