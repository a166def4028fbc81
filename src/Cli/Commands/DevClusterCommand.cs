using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Networking;

namespace RecOperator.Cli.Commands;

/// <summary>`recop devcluster up`: runs the embedded Kubernetes API server in the foreground until SIGTERM or Ctrl-C.</summary>
public static class DevClusterCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for state, certificates, token and the kubeconfig", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 6443 };
        var insecure = new Option<bool>("--insecure-http") { Description = "Serve plain HTTP without authentication (tests only)" };
        var nodes = new Option<string?>("--nodes") { Description = "Node agent config (YAML: pools and images); default: the built-in cpu-spot, cpu-ondemand and gpu pools" };
        var noNodeAgent = new Option<bool>("--no-node-agent") { Description = "Serve the API only: no nodes, scheduler, deployment controller or pod processes" };
        var noRouter = new Option<bool>("--no-router") { Description = "Do not run the Service router (the Endpoints controller still runs)" };
        var up = new Command("up", "Start the DevCluster API server, its node agent, Endpoints controller and Service router; DATA_DIR/kubeconfig is written once it is ready")
        {
            dataDir, port, insecure, nodes, noNodeAgent, noRouter,
        };
        up.SetAction(async (parseResult, ct) =>
        {
            var options = new DevClusterOptions
            {
                DataDirectory = Path.GetFullPath(parseResult.GetValue(dataDir)!),
                Port = parseResult.GetValue(port),
                Secure = !parseResult.GetValue(insecure),
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            RecOperator.DevCluster.NodeAgent.NodeAgentConfig? agentConfig;
            try
            {
                agentConfig = parseResult.GetValue(noNodeAgent) ? null : RecOperator.DevCluster.NodeAgent.NodeAgentLauncher.LoadConfig(parseResult.GetValue(nodes));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"devcluster up: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            try
            {
                await ServeUntilStoppedAsync(options, agentConfig, !parseResult.GetValue(noRouter), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // SIGTERM while still starting: what had started is disposed on the way out; a stop, not a failure.
            }
            await Console.Out.WriteLineAsync("devcluster: stopped").ConfigureAwait(false);
            return 0;
        });
        return new Command("devcluster", "The embedded Kubernetes control plane for local runs and tests") { up, CreateBench(), DevClusterNodeCommands.CreateNode(), DevClusterNodeCommands.CreateLogs() };
    }

    /// <summary>Serves until <paramref name="stop"/> fires, then stops the router, the node agent and the server, in that order.</summary>
    private static async Task ServeUntilStoppedAsync(DevClusterOptions options, RecOperator.DevCluster.NodeAgent.NodeAgentConfig? agentConfig, bool router, CancellationToken stop)
    {
        RecOperator.DevCluster.Hosting.ThreadPoolFloor.Raise(workersPerCore: 8);
        await using var server = await DevClusterServer.StartAsync(options, stop).ConfigureAwait(false);
        using var loggers = RecOperator.DevCluster.NodeAgent.NodeAgentLauncher.ConsoleLoggers();
        await using var agent = agentConfig is null ? null
            : await RecOperator.DevCluster.NodeAgent.NodeAgentLauncher.StartAsync(server, options.DataDirectory!, agentConfig, loggers, stop).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
        await Console.Out.WriteLineAsync($"devcluster: serving {server.BaseAddress} (kubeconfig: {server.KubeconfigPath})").ConfigureAwait(false);
        await using var networking = NetworkingHost.StartFor(server.KubeconfigPath!, new NetworkingOptions { Router = router }, NetworkingLogs);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Out.WriteLineAsync("devcluster: stopping").ConfigureAwait(false);
        }
    }

    /// <summary>Router listeners are worth seeing (which Service is on which port); the watch plumbing only when it fails.</summary>
    private static readonly ILoggerFactory NetworkingLogs = LoggerFactory.Create(logs => logs
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter(typeof(ServiceRouter).FullName, LogLevel.Information));

    /// <summary>`recop devcluster bench`: objects held, memory, and change-to-watcher latency.</summary>
    private static Command CreateBench()
    {
        var models = new Option<int>("--custom-resources") { Description = "Custom resources to create", DefaultValueFactory = _ => 1000 };
        var deployments = new Option<int>("--deployments") { Description = "Deployments to create", DefaultValueFactory = _ => 5000 };
        var watchers = new Option<int>("--watchers") { Description = "Concurrent watchers", DefaultValueFactory = _ => 10 };
        var changes = new Option<int>("--changes") { Description = "Changes whose delivery is timed", DefaultValueFactory = _ => 300 };
        var bench = new Command("bench", "Measure memory and watch latency with many objects (durable log on, temp data dir)") { models, deployments, watchers, changes };
        bench.SetAction(async (parseResult, ct) =>
        {
            var directory = Directory.CreateTempSubdirectory("devcluster-bench-").FullName;
            try
            {
                var result = await RecOperator.DevCluster.Bench.ScaleBenchmark.RunAsync(directory, parseResult.GetValue(models), parseResult.GetValue(deployments),
                    parseResult.GetValue(watchers), parseResult.GetValue(changes), ct).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(result.ToString()).ConfigureAwait(false);
                return 0;
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        });
        return bench;
    }
}
