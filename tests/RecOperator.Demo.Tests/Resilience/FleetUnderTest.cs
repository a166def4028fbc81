using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Demo.Monitoring;
using RecOperator.Demo.Setup;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Networking;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Storage;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Observability.LocalPrometheus;
using RecOperator.Operator.Desired;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// The demo's cluster, composed from the demo's own building blocks: DevCluster on a data directory, its node agent
/// running the pods as processes, the Endpoints controller and Service router, the sample NodePools and RecModel as
/// <see cref="DemoManifests"/> adjusts them (plus the test's own change), applied by <see cref="ManifestApplier"/>,
/// an in-process operator and, when the options ask for it, the demo's Prometheus as its metrics source. The parts a
/// resilience test breaks (a pod, the operator, the control plane, Prometheus) can be stopped and started again. Component logs go to DATA/e2e.log; <see cref="Because"/> quotes their tail.
/// </summary>
internal sealed class FleetUnderTest : IAsyncDisposable
{
    private readonly FileLoggerProvider _logs;
    private readonly ILoggerFactory _loggers;
    private readonly NodeAgentHost _agent;
    private readonly NetworkingHost _networking;
    private readonly DevClusterOptions _serverOptions;
    private InProcessOperator? _operator;
    private int _operatorStarts;
    private readonly string? _prometheusConfiguration;
    private int _prometheusPort;

    private FleetUnderTest(string dataDirectory, FileLoggerProvider logs, ILoggerFactory loggers, DevClusterServer server, DevClusterOptions serverOptions,
        NodeAgentHost agent, NetworkingHost networking, KubeApiClient client, JsonObject model, string? prometheusConfiguration)
    {
        (DataDirectory, _logs, _loggers, Server, _serverOptions, _agent, _networking, Client, Model, _prometheusConfiguration) =
            (dataDirectory, logs, loggers, server, serverOptions, agent, networking, client, model, prometheusConfiguration);
    }

    public string DataDirectory { get; }

    public DevClusterServer Server { get; private set; }

    public KubeApiClient Client { get; }

    /// <summary>The fleet's Prometheus when <see cref="DemoOptions.MetricsSource"/> asks for one and it is running.</summary>
    public PrometheusServer? Prometheus { get; private set; }

    /// <summary>The RecModel as applied.</summary>
    public JsonObject Model { get; }

    public string Name => (string)Model["metadata"]!["name"]!;

    public string Namespace => (string?)Model["metadata"]!["namespace"] ?? "default";

    public string ModelSelector => $"{ChildLabels.Model}={Name}";

    /// <summary>
    /// An adjustment for <see cref="StartAsync"/>: the demo's int8 variant alone, its replicas left to the autoscaler
    /// across both CPU pools. The fleet settles sooner than with the fp32 variant beside it, and the spot reserve rule is
    /// still in play.
    /// </summary>
    public static void Int8Only(JsonObject model)
    {
        var variants = model["spec"]!["variants"]!.AsArray();
        variants.Remove(variants.Single(v => (string)v!["name"]! != "cpu-int8"));
    }

    public static async Task<FleetUnderTest> StartAsync(DemoOptions options, Action<JsonObject> adjustModel, CancellationToken ct)
    {
        // As DemoRunner does: this process hosts the whole cluster and the load.
        RecOperator.DevCluster.Hosting.ThreadPoolFloor.Raise(workersPerCore: 8);
        var root = RepositoryRoot.Find();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "recop-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var logs = new FileLoggerProvider(Path.Combine(dataDirectory, "e2e.log"));
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var (fp32, int8) = await DemoArtifacts.EnsureAsync(Path.Combine(root, ".build", "demo-models"), TextWriter.Null, ct);
        var serverOptions = new DevClusterOptions { DataDirectory = Path.Combine(dataDirectory, "cluster"), Port = 0 };
        var server = await DevClusterServer.StartAsync(serverOptions, ct);
        // A restarted control plane must come back on the same address: every client holds the kubeconfig it read.
        serverOptions = serverOptions with { Port = server.BaseAddress.Port };
        var kubeconfig = server.KubeconfigPath!;
        var agent = await NodeAgentHost.StartAsync(kubeconfig,
            new NodeAgentOptions { Config = DefaultNodeAgentConfig.For(root), LogDirectory = PodLogs.DirectoryUnder(dataDirectory) }, loggers, ct);
        var networking = NetworkingHost.StartFor(kubeconfig, new NetworkingOptions(), loggers);
        var client = new KubeApiClient(KubeConfigLoader.Load(kubeconfig), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers });

        var samples = Path.Combine(root, "manifests", "samples");
        var model = DemoManifests.RecModel(samples, fp32, int8, options);
        adjustModel(model);
        // As the demo configures it: the pods found through DevCluster's discovery, labelled as the chart's PodMonitor does.
        var prometheusConfiguration = options.MetricsSource == DemoMetricsSource.Prometheus
            ? DevClusterPrometheusConfig.For(server)
            : null;
        var fleet = new FleetUnderTest(dataDirectory, logs, loggers, server, serverOptions, agent, networking, client, model, prometheusConfiguration);
        try
        {
            if (prometheusConfiguration is not null)
            {
                await fleet.StartPrometheusAsync(ct);
            }
            await new ManifestApplier(client).ApplyWithCrdsAsync(root, DemoManifests.NodePools(samples, gpuPresent: false).Append(model), ct);
            fleet.StartOperator();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the model Service answers through the router, as the demo does before its load starts.</summary>
    public Task<Uri> WaitForModelAsync(CancellationToken ct) => ModelAddress.WaitAsync(Client, Namespace, Name, TimeSpan.FromSeconds(75), ct);

    public void StartOperator()
    {
        if (_operator is not null)
        {
            throw new InvalidOperationException("an operator is already running");
        }
        // The operator is told the Prometheus address once, as `--prometheus-url` is: it stays the same across outages.
        var prometheusUrl = _prometheusConfiguration is null ? null : $"http://127.0.0.1:{_prometheusPort}/";
        _operator = InProcessOperator.Start(Server.KubeconfigPath!, $"recop-e2e-{++_operatorStarts}", _loggers, prometheusUrl);
    }

    /// <summary>Starts the fleet's Prometheus; again after <see cref="StopPrometheusAsync"/>, on the same port and data.</summary>
    public async Task StartPrometheusAsync(CancellationToken ct)
    {
        if (_prometheusConfiguration is null || Prometheus is not null)
        {
            throw new InvalidOperationException(Prometheus is null ? "this fleet has no Prometheus" : "Prometheus is already running");
        }
        Prometheus = await PrometheusServer.StartAsync(_prometheusConfiguration, Path.Combine(DataDirectory, "prometheus"), _prometheusPort, ct);
        _prometheusPort = Prometheus.Port;
    }

    /// <summary>Kills the fleet's Prometheus, as an outage would.</summary>
    public async Task StopPrometheusAsync()
    {
        if (Prometheus is { } running)
        {
            Prometheus = null;
            await running.DisposeAsync();
        }
    }

    public async Task StopOperatorAsync()
    {
        if (_operator is { } running)
        {
            _operator = null;
            await running.DisposeAsync();
        }
    }

    /// <summary>
    /// Stops the API server (its clients keep running and retry), waits <paramref name="down"/>, starts it again on the
    /// same data directory and port. Returns the store as the stopped server left it and as the new one holds it the
    /// moment it is up (its clients may already have written again: those objects carry a newer resourceVersion).
    /// </summary>
    public async Task<(StoreState Stopped, StoreState Restarted)> RestartControlPlaneAsync(TimeSpan down, CancellationToken ct)
    {
        var stopped = Server;
        await stopped.DisposeAsync();
        // Kestrel has stopped: nothing writes any more, so this is everything the stopped server acknowledged.
        var final = stopped.Store.Snapshot;
        await Task.Delay(down, ct);
        Server = await DevClusterServer.StartAsync(_serverOptions, ct);
        return (final, Server.Store.Snapshot);
    }

    /// <summary>Sum of spec.replicas and status.readyReplicas over the model's Deployments.</summary>
    public async Task<(int Desired, int Ready)> ReplicasAsync(CancellationToken ct)
    {
        var deployments = await Client.For<V1Deployment>().ListAsync(Namespace, new ListOptions { LabelSelector = ModelSelector }, ct);
        return (deployments.Items.Sum(d => d.Spec?.Replicas ?? 0), deployments.Items.Sum(d => d.Status?.ReadyReplicas ?? 0));
    }

    /// <summary>The last lines of the component logs, for assertion messages.</summary>
    public string Because(int lines = 60) => "component log tail:\n" + string.Join('\n', LogLines().TakeLast(lines));

    /// <summary>What the autoscaler decided and what the reconciler did to Deployments, for a test's output.</summary>
    public string FleetHistory() => string.Join('\n', LogLines().Where(l =>
        l.Contains("autoscaler decided", StringComparison.Ordinal) || l.Contains(" Deployment ", StringComparison.Ordinal)));

    private string[] LogLines()
    {
        using var file = new FileStream(Path.Combine(DataDirectory, "e2e.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd().Split('\n');
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        await StopPrometheusAsync();
        await _networking.DisposeAsync();
        await _agent.DisposeAsync();
        await Server.DisposeAsync();
        Client.Dispose();
        _loggers.Dispose();
        _logs.Dispose();
        // RECOP_E2E_KEEP=1 keeps the data directory (component and pod logs, the cluster's store) for a look afterwards.
        if (Environment.GetEnvironmentVariable("RECOP_E2E_KEEP") != "1")
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
