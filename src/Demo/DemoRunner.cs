using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Demo.Load;
using RecOperator.Demo.Monitoring;
using RecOperator.Demo.Setup;
using RecOperator.Demo.Summary;
using RecOperator.Demo.View;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Networking;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Observability.LocalPrometheus;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Demo;

/// <summary>
/// The whole loop on one machine: DevCluster (API server, node agent, Endpoints and Service router), the operator with
/// its autoscaler (on direct scraping, or on a real Prometheus the demo starts), the sample model's variants built by
/// the optimizer, and open-loop load through the model's Service while the view shows what the fleet does. Returns the summary the end-to-end tests assert on.
/// </summary>
public sealed class DemoRunner(DemoOptions options, IFleetView view, TextWriter console)
{
    private const string ReferenceModel = "user-candidate";
    private const int CandidatesPerRequest = 20;

    // Well under the SLO, well over a busy machine's scheduling noise.
    private static readonly TimeSpan StallThreshold = TimeSpan.FromMilliseconds(100);

    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken)
    {
        ThreadPoolFloor.Raise(workersPerCore: 8);
        var root = RepositoryRoot.Find();
        var dataDirectory = Path.GetFullPath(Path.Combine(root, options.DataDirectory, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(dataDirectory);
        using var fileLogs = new FileLoggerProvider(Path.Combine(dataDirectory, "demo.log"));
        using var loggers = LoggerFactory.Create(b => b.AddProvider(fileLogs).SetMinimumLevel(LogLevel.Information));

        var (fp32, int8) = await DemoArtifacts.EnsureAsync(Path.Combine(root, ".build", "demo-models"), console, cancellationToken).ConfigureAwait(false);
        await using var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = Path.Combine(dataDirectory, "cluster"), Port = 0 }, cancellationToken).ConfigureAwait(false);
        var kubeconfig = server.KubeconfigPath!;
        await console.WriteLineAsync($"DevCluster serving {server.BaseAddress}; kubeconfig {kubeconfig}; component logs {Path.Combine(dataDirectory, "demo.log")}").ConfigureAwait(false);
        var agentOptions = new NodeAgentOptions { Config = DefaultNodeAgentConfig.For(root), LogDirectory = PodLogs.DirectoryUnder(dataDirectory) };
        await using var agent = await NodeAgentHost.StartAsync(kubeconfig, agentOptions, loggers, cancellationToken).ConfigureAwait(false);
        await using var networking = NetworkingHost.StartFor(kubeconfig, new NetworkingOptions(), loggers);
        await using var prometheus = options.MetricsSource == DemoMetricsSource.Prometheus
            ? await StartPrometheusAsync(server, Path.Combine(dataDirectory, "prometheus"), cancellationToken).ConfigureAwait(false)
            : null;
        using var client = new KubeApiClient(KubeConfigLoader.Load(kubeconfig), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers });

        var samples = Path.Combine(root, "manifests", "samples");
        var model = DemoManifests.RecModel(samples, fp32, int8, options);
        var pools = DemoManifests.NodePools(samples, options.GpuPresent);
        await new ManifestApplier(client).ApplyWithCrdsAsync(root, pools.Append(model), cancellationToken).ConfigureAwait(false);

        using var metrics = new OperatorMetrics();
        using var stopOperator = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The same assembly `recop operator` runs: reconcilers, the autoscaler on direct scraping or on the demo's
        // Prometheus (as `--metrics-source=prometheus --prometheus-url` would have it), no leader election.
        var operatorOptions = new RecOperatorOptions { Identity = "recop-demo", Host = new OperatorHostOptions { HealthEndpoint = new IPEndPoint(IPAddress.Loopback, 0) } };
        var autoscalerOptions = new AutoscalerOptions { ReportingInstance = "recop-demo", ClusterPrometheusUrl = prometheus?.Address.ToString() };
        var operatorHost = RecOperatorApp.Build(client, operatorOptions, loggers, metrics, new FleetPlanBook(), c => AutoscalerRegistration.Add(c, autoscalerOptions));
        var operatorRun = operatorHost.RunAsync(stopOperator.Token);
        try
        {
            var name = (string)model["metadata"]!["name"]!;
            var ns = (string?)model["metadata"]!["namespace"] ?? "default";
            var address = await ModelAddress.WaitAsync(client, ns, name, TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false);
            await console.WriteLineAsync($"model Service {ns}/{name} answers on {address}; starting load").ConfigureAwait(false);
            var summary = await DriveAsync(client, ns, name, address, model, pools, cancellationToken).ConfigureAwait(false);
            if (options.SummaryJsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, DemoJsonContext.Default.DemoSummary), cancellationToken).ConfigureAwait(false);
            }
            if (options.Keep)
            {
                await console.WriteLineAsync($"cluster kept running: KUBECONFIG={kubeconfig} kubectl get recmodels,deployments,pods -A   (Ctrl+C to stop)").ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
            return summary;
        }
        finally
        {
            await stopOperator.CancelAsync().ConfigureAwait(false);
            await operatorRun.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>A Prometheus that finds the pods through DevCluster's service discovery and scrapes them.</summary>
    private async Task<PrometheusServer> StartPrometheusAsync(DevClusterServer server, string folder, CancellationToken cancellationToken)
    {
        var prometheus = await PrometheusServer.StartAsync(DevClusterPrometheusConfig.For(server), folder, port: 0, cancellationToken).ConfigureAwait(false);
        await console.WriteLineAsync($"Prometheus serving {prometheus.Address} (the autoscaler's metrics source; log {Path.Combine(folder, "prometheus.log")})").ConfigureAwait(false);
        return prometheus;
    }

    private async Task<DemoSummary> DriveAsync(
        KubeApiClient client, string ns, string name, Uri address, JsonObject model, IReadOnlyList<JsonObject> pools, CancellationToken cancellationToken)
    {
        var bodies = DemoRequests.Create(ReferenceModel, 32, CandidatesPerRequest);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var next = 0;
        var profile = LoadProfile.Demo(options.Duration, DemoManifests.BaseRps(model));
        var generator = new PoissonLoadGenerator(profile, async ct =>
        {
            using var content = new ByteArrayContent(bodies[(int)((uint)Interlocked.Increment(ref next) % bodies.Count)]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync($"/v2/models/{name}/infer", content, ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
        var costs = pools.ToDictionary(p => (string)p["metadata"]!["name"]!, p => DemoManifests.Number(p["spec"]!["costPerReplicaHour"]!), StringComparer.Ordinal);
        var timeline = new List<TimelinePoint>();
        var clock = Stopwatch.StartNew();
        await using var stalls = new StallMonitor(clock, StallThreshold);
        var load = generator.RunAsync(cancellationToken);
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var current = await client.For<RecModel>().GetAsync(name, ns, cancellationToken).ConfigureAwait(false);
            var rows = FleetRows.Of(current, costs);
            var (phase, rps) = profile.At(elapsed);
            var snapshot = new FleetSnapshot
            {
                Elapsed = elapsed,
                Phase = phase.Name,
                TargetRps = rps,
                SloMs = options.SloMs,
                Rows = rows,
                Clients = generator.Outcomes.Window(elapsed - DemoSummaryCalculator.P99Window, elapsed),
                Decisions = FleetRows.Decisions(current),
                Conditions = FleetRows.Conditions(current),
            };
            timeline.Add(new TimelinePoint(elapsed, snapshot.TotalReplicas, snapshot.TotalReady));
            view.Show(snapshot);
        }
        await load.ConfigureAwait(false);
        var step = profile.StartOf("step 4x");
        return DemoSummaryCalculator.Compute(options.SloMs, step, profile.StartOf("drop"), timeline, generator.Outcomes.Snapshot()) with
        {
            ProcessStalls = stalls.Stalls,
        };
    }
}
