using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Leadership;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Cli.Commands;

/// <summary>
/// <c>recop operator [--kubeconfig FILE] [--context NAME] [--namespace NS] [--leader-elect] [--health-port N]
/// [--log-format text|json]</c>: runs the operator, the same binary the container image runs. Connection: --kubeconfig,
/// else $KUBECONFIG, else the in-cluster service account inside a pod, else ~/.kube/config; --context picks a context
/// of that kubeconfig instead of its current-context (and so never means the in-cluster account).
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "kubeconfig file (default: $KUBECONFIG, in-cluster config inside a pod, then ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context to use instead of its current-context" };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "text: one readable line per entry; json: one JSON object per line with the structured fields (for log collectors)",
            DefaultValueFactory = _ => "text",
        };
        var ns = new Option<string?>("--namespace") { Description = "Watch RecModels in this namespace only (default: all namespaces)" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run controllers only while holding the Lease, so several replicas can run" };
        var healthPort = new Option<int>("--health-port") { Description = "Port of /healthz, /readyz and /metrics", DefaultValueFactory = _ => 8081 };
        var leaseName = new Option<string>("--leader-election-id") { Description = "Name of the leader-election Lease", DefaultValueFactory = _ => "rec-operator" };
        var metricsSource = new Option<string>("--metrics-source")
        {
            Description = "direct: the operator scrapes the pods of models on the Direct source; prometheus: those models read --prometheus-url instead",
            DefaultValueFactory = _ => "direct",
        };
        var prometheusUrl = new Option<string?>("--prometheus-url") { Description = "The cluster's Prometheus (with --metrics-source=prometheus), e.g. http://prometheus.monitoring:9090" };
        var prometheusAuthorizationFile = new Option<FileInfo?>("--prometheus-authorization-file") { Description = $"File holding the Authorization header (or a bare bearer token) for --prometheus-url, re-read when it changes; or set {PrometheusAuthorization.EnvironmentVariable}" };
        var podImage = new Option<string>("--pod-image") { Description = "Inference pod image for CPU variants", DefaultValueFactory = _ => OperatorImages.Default.InferencePod };
        var podGpuImage = new Option<string>("--pod-gpu-image") { Description = "Inference pod image for Gpu variants", DefaultValueFactory = _ => OperatorImages.Default.InferencePodGpu };
        var command = new Command("operator", "Run the RecOperator controllers (RecModel and NodePool) and the autoscaler against a Kubernetes API server")
        {
            kubeconfig, context, ns, leaderElect, leaseName, healthPort, metricsSource, prometheusUrl, prometheusAuthorizationFile, podImage, podGpuImage, logFormat,
        };
        command.SetAction(async (parse, ct) =>
        {
            var port = parse.GetValue(healthPort);
            if (port is < 0 or > 65535)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--health-port must be 0-65535 (got {port})").ConfigureAwait(false);
                return 2;
            }

            var format = parse.GetValue(logFormat);
            if (format is not ("text" or "json"))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--log-format must be text or json (got {format})").ConfigureAwait(false);
                return 2;
            }

            var source = parse.GetValue(metricsSource);
            var cluster = parse.GetValue(prometheusUrl);
            if (source is not ("direct" or "prometheus") || (source == "prometheus") != (cluster is { Length: > 0 })
                || (cluster is { Length: > 0 } && !Uri.TryCreate(cluster, UriKind.Absolute, out _)))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"--metrics-source must be direct or prometheus, and --prometheus-url (an absolute URL) goes with prometheus only (got {source}, {cluster ?? "no URL"})").ConfigureAwait(false);
                return 2;
            }

            PrometheusAuthorization? prometheusAuthorization;
            try
            {
                prometheusAuthorization = PrometheusAuthorization.FromSettings(
                    parse.GetValue(prometheusAuthorizationFile)?.FullName, Environment.GetEnvironmentVariable(PrometheusAuthorization.EnvironmentVariable), source == "prometheus" ? cluster : null);
            }
            catch (FormatException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            KubeClientConfig config;
            try
            {
                config = LoadConfig(parse.GetValue(kubeconfig)?.FullName, parse.GetValue(context));
            }
            catch (Exception e) when (e is KubeConfigException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"cannot load the cluster connection: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            using var loggers = CreateLoggers(format);
            using var metrics = new OperatorMetrics();
            using var client = new KubeApiClient(config, new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers, OnResponse = metrics.CountApiResponse });
            var watchNamespace = parse.GetValue(ns);
            // The pod name in a cluster (downward API), else this host and process: unique per running instance.
            var identity = Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } podName ? podName : $"{Environment.MachineName}-{Environment.ProcessId}";
            var options = new RecOperatorOptions
            {
                Namespace = watchNamespace,
                Identity = identity,
                Images = new OperatorImages(parse.GetValue(podImage)!, parse.GetValue(podGpuImage)!),
                Host = new OperatorHostOptions
                {
                    HealthEndpoint = new IPEndPoint(IPAddress.Any, port),
                    LeaderElection = parse.GetValue(leaderElect)
                        ? new LeaderElectionOptions { LeaseName = parse.GetValue(leaseName)!, LeaseNamespace = LeaseNamespace(watchNamespace, config), Identity = identity }
                        : null,
                },
            };
            var autoscaling = new AutoscalerOptions { ClusterPrometheusUrl = source == "prometheus" ? cluster : null, PrometheusAuthorization = prometheusAuthorization, ReportingInstance = identity };
            var host = RecOperatorApp.Build(client, options, loggers, metrics, new FleetPlanBook(), c => AutoscalerRegistration.Add(c, autoscaling));
            await host.RunAsync(ct).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static KubeClientConfig LoadConfig(string? path, string? contextName)
    {
        path ??= Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env ? env.Split(Path.PathSeparator)[0] : null;
        if (path is not null)
        {
            return KubeConfigLoader.Load(path, contextName);
        }

        // A named context only exists in a kubeconfig, so naming one skips the in-cluster service account.
        return InClusterConfig.IsAvailable() && contextName is null
            ? InClusterConfig.Load()
            : KubeConfigLoader.Load(KubeConfigLoader.DefaultPath, contextName);
    }

    // json: Microsoft.Extensions.Logging's JSON formatter writes each entry as one object on one line, with the
    // [LoggerMessage] placeholders (Kind, Controller, Key, Reason ...) as fields under "State".
    private static ILoggerFactory CreateLoggers(string format) => LoggerFactory.Create(builder =>
    {
        if (format == "json")
        {
            builder.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
    });

    // The Lease lives where the operator runs (POD_NAMESPACE from the downward API), else in the watched namespace.
    private static string LeaseNamespace(string? watched, KubeClientConfig config) =>
        Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod ? pod : watched ?? config.Namespace;
}
