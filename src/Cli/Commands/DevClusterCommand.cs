using System.CommandLine;
using System.Runtime.InteropServices;
using RecOperator.DevCluster.Hosting;

namespace RecOperator.Cli.Commands;

/// <summary>`recop devcluster up`: runs the embedded Kubernetes API server in the foreground until SIGTERM or Ctrl-C.</summary>
public static class DevClusterCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for state, certificates, token and the kubeconfig", Required = true };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 6443 };
        var insecure = new Option<bool>("--insecure-http") { Description = "Serve plain HTTP without authentication (tests only)" };
        var up = new Command("up", "Start the DevCluster API server; DATA_DIR/kubeconfig is written once it is ready") { dataDir, port, insecure };
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
            await using var server = await DevClusterServer.StartAsync(options, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"devcluster: serving {server.BaseAddress} (kubeconfig: {server.KubeconfigPath})").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await Console.Out.WriteLineAsync("devcluster: stopping").ConfigureAwait(false);
            }
            return 0;
        });
        return new Command("devcluster", "The embedded Kubernetes control plane for local runs and tests") { up };
    }
}
