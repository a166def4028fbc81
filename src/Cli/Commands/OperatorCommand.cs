using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Leadership;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Cli.Commands;

/// <summary>
/// <c>recop operator [--kubeconfig FILE] [--namespace NS] [--leader-elect] [--health-port N]</c>: runs the operator,
/// the same binary the container image runs. Connection: --kubeconfig, else $KUBECONFIG, else the in-cluster
/// service account inside a pod, else ~/.kube/config.
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "kubeconfig file (default: $KUBECONFIG, in-cluster config inside a pod, then ~/.kube/config)" };
        var ns = new Option<string?>("--namespace") { Description = "Watch RecModels in this namespace only (default: all namespaces)" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run controllers only while holding the Lease, so several replicas can run" };
        var healthPort = new Option<int>("--health-port") { Description = "Port of /healthz, /readyz and /metrics", DefaultValueFactory = _ => 8081 };
        var command = new Command("operator", "Run the RecOperator controllers (RecModel and NodePool) against a Kubernetes API server")
        {
            kubeconfig, ns, leaderElect, healthPort,
        };
        command.SetAction(async (parse, ct) =>
        {
            var port = parse.GetValue(healthPort);
            if (port is < 0 or > 65535)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--health-port must be 0-65535 (got {port})").ConfigureAwait(false);
                return 2;
            }

            KubeClientConfig config;
            try
            {
                config = LoadConfig(parse.GetValue(kubeconfig)?.FullName);
            }
            catch (Exception e) when (e is KubeConfigException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"cannot load the cluster connection: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
            using var client = new KubeApiClient(config, new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers });
            using var metrics = new OperatorMetrics();
            var watchNamespace = parse.GetValue(ns);
            var identity = $"{Environment.MachineName}-{Environment.ProcessId}";
            var options = new RecOperatorOptions
            {
                Namespace = watchNamespace,
                Identity = identity,
                Host = new OperatorHostOptions
                {
                    HealthEndpoint = new IPEndPoint(IPAddress.Any, port),
                    LeaderElection = parse.GetValue(leaderElect)
                        ? new LeaderElectionOptions { LeaseName = "rec-operator", LeaseNamespace = LeaseNamespace(watchNamespace, config), Identity = identity }
                        : null,
                },
            };
            var host = RecOperatorApp.Build(client, options, loggers, metrics, new FleetPlanBook());
            await host.RunAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static KubeClientConfig LoadConfig(string? path)
    {
        path ??= Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env ? env.Split(Path.PathSeparator)[0] : null;
        if (path is not null)
        {
            return KubeConfigLoader.Load(path);
        }

        return InClusterConfig.IsAvailable() ? InClusterConfig.Load() : KubeConfigLoader.Load(KubeConfigLoader.DefaultPath);
    }

    // The Lease lives where the operator runs (POD_NAMESPACE from the downward API), else in the watched namespace.
    private static string LeaseNamespace(string? watched, KubeClientConfig config) =>
        Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod ? pod : watched ?? config.Namespace;
}
