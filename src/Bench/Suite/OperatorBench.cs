using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Demo.Setup;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.Bench.Suite;

/// <summary>
/// The operator at scale: N copies of the sample RecModel on an in-process DevCluster (no node agent: the operator's
/// own work, not pods starting), and `recop operator` as its own process, so its memory is its own. Figures: how fast
/// the first pass reconciles them all (status.observedGeneration caught up), the API requests and reconciles per model
/// it took (read from the operator's own /metrics), and the operator's resident memory.
/// </summary>
public static class OperatorBench
{
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync(BenchOptions options, string recopAssembly, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var data = Directory.CreateTempSubdirectory("recop-bench-cluster-").FullName;
        try
        {
            await using var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = data, Port = 0 }, cancellationToken).ConfigureAwait(false);
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));
            using var client = new KubeApiClient(KubeConfigLoader.Load(server.KubeconfigPath!), new KubeApiClientOptions { AdditionalTypes = CrdsJsonContext.Default, LoggerFactory = loggers });
            var documents = await SampleManifests.ReadAsync(options.SamplesFolder, cancellationToken).ConfigureAwait(false);
            var template = documents.Single(d => (string?)d["kind"] == RecModel.KindName);
            var models = Enumerable.Range(0, options.OperatorModels).Select(i => Copy(template, i)).ToList();
            var applier = new ManifestApplier(client);
            await applier.ApplyWithCrdsAsync(options.RepositoryRoot, documents.Where(d => (string?)d["kind"] == NodePool.KindName), cancellationToken).ConfigureAwait(false);
            foreach (var model in models)
            {
                await applier.ApplyAsync(model, cancellationToken).ConfigureAwait(false);
            }

            // A free loopback port, chosen the way DevCluster's node agent chooses its pods' host ports.
            var healthPort = RecOperator.DevCluster.NodeAgent.HostPorts.Allocate([0])[0];
            using var process = StartOperator(recopAssembly, server.KubeconfigPath!, healthPort, out var stderr);
            try
            {
                var stopwatch = Stopwatch.StartNew();
                var deadline = TimeSpan.FromMinutes(options.Quick ? 3 : 10);
                int reconciled;
                while ((reconciled = await ReconciledAsync(client, cancellationToken).ConfigureAwait(false)) < models.Count)
                {
                    if (stopwatch.Elapsed > deadline || process.HasExited)
                    {
                        throw new InvalidOperationException($"the operator reconciled {reconciled} of {models.Count} RecModels in {stopwatch.Elapsed.TotalSeconds:F0} s" +
                            (process.HasExited ? $" and exited with code {process.ExitCode}: {await stderr.ConfigureAwait(false)}" : ""));
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                }
                var elapsed = stopwatch.Elapsed;
                var (rssMb, peakMb) = Memory(process.Id);
                var (requests, reconciles, _) = await CountersAsync(healthPort, cancellationToken).ConfigureAwait(false);
                var children = (await client.For<RecOperator.Kube.Models.V1Deployment>().ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Count;
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {models.Count} RecModels reconciled in {elapsed.TotalSeconds:F1} s ({children} Deployments; {reconciles:F0} reconciles, {requests:F0} API requests); operator RSS {rssMb:F0} MB, peak {peakMb:F0} MB")).ConfigureAwait(false);
                var settled = await SettledPassAsync(client, healthPort, models.Count, deadline, cancellationToken).ConfigureAwait(false);
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  then every model again with nothing to change: {settled.Reconciles:F0} reconciles, {settled.Requests:F0} API requests ({settled.Requests / settled.Reconciles:F1} per reconcile)")).ConfigureAwait(false);
                return
                [
                    new("operator", $"first pass over {models.Count} RecModels, reconciles per second", models.Count / elapsed.TotalSeconds, "/s",
                        $"{elapsed.TotalSeconds:F1} s until every status.observedGeneration caught up; {children} Deployments written (server-side apply, DevCluster in this process, no pods)"),
                    new("operator", $"API requests per RecModel in the first pass over {models.Count}", requests / models.Count, "",
                        $"every response the operator's client got until the pass ended (recop_kube_requests_total), watches and leader election included; {reconciles / models.Count:F1} reconciles per RecModel (recop_reconcile_duration_seconds_count)"),
                    new("operator", "API requests per reconcile of a settled RecModel", settled.Requests / settled.Reconciles, "",
                        "a NodePool price change that moves no replica enqueues every model again (as a resync would); each reconcile's requests, status and children unchanged"),
                    new("operator", $"operator resident memory with {models.Count} RecModels", rssMb, "MB",
                        $"`recop operator` as its own process, after the first pass; peak {peakMb:F0} MB (informer caches of RecModels, NodePools and their children)"),
                ];
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static JsonObject Copy(JsonObject template, int index)
    {
        var copy = template.DeepClone().AsObject();
        copy["metadata"]!["name"] = $"{(string?)template["metadata"]!["name"]}-{index:D4}";
        return copy;
    }

    private static Process StartOperator(string recopAssembly, string kubeconfig, int healthPort, out Task<string> stderr)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { recopAssembly, "operator", "--kubeconfig", kubeconfig, "--health-port", healthPort.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `recop operator`");
        // Drained so a full pipe never blocks the operator; stderr is kept for the error when it exits early.
        _ = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task<int> ReconciledAsync(KubeApiClient client, CancellationToken cancellationToken)
    {
        var list = await client.Unstructured(RecModel.Descriptor).ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return list.Items.Count(m => m["status"]?["observedGeneration"] is { } observed && (long)observed == (long)m["metadata"]!["generation"]!);
    }

    /// <summary>
    /// Every model reconciled once more with nothing to change: the on-demand pool's price rises a little (it stays above
    /// the spot pool's, so no replica moves), which enqueues every model as a resync would. Returns the requests and
    /// reconciles between the change and the queue running dry.
    /// </summary>
    private static async Task<(double Requests, double Reconciles)> SettledPassAsync(KubeApiClient client, int healthPort, int models, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var (requests, reconciles, _) = await CountersAsync(healthPort, cancellationToken).ConfigureAwait(false);
        var pools = client.Unstructured(NodePool.Descriptor);
        var pool = await pools.GetAsync("cpu-ondemand", cancellationToken: cancellationToken).ConfigureAwait(false);
        var price = (double)pool["spec"]!["costPerReplicaHour"]! * 1.01;
        await pools.PatchAsync("cpu-ondemand", KubePatch.Merge(new JsonObject { ["spec"] = new JsonObject { ["costPerReplicaHour"] = price } }), cancellationToken: cancellationToken).ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            var now = await CountersAsync(healthPort, cancellationToken).ConfigureAwait(false);
            if (now.Reconciles - reconciles >= models && now.QueueDepth == 0)
            {
                return (now.Requests - requests, now.Reconciles - reconciles);
            }
            if (stopwatch.Elapsed > deadline)
            {
                throw new InvalidOperationException($"after the NodePool change the operator reconciled {now.Reconciles - reconciles} of {models} RecModels in {stopwatch.Elapsed.TotalSeconds:F0} s");
            }
        }
    }

    /// <summary>The operator's API responses so far, its RecModel reconciles and its RecModel queue, from its /metrics.</summary>
    private static async Task<(double Requests, double Reconciles, double QueueDepth)> CountersAsync(int healthPort, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{healthPort}/metrics"), cancellationToken).ConfigureAwait(false);
        var samples = RecOperator.Operator.Metrics.PrometheusTextParser.Parse(text);
        double RecModel(string name) => samples.Where(s => s.Name == name && s.Labels.GetValueOrDefault("controller") == "recmodel").Sum(s => s.Value);
        return (samples.Where(s => s.Name == "recop_kube_requests_total").Sum(s => s.Value), RecModel("recop_reconcile_duration_seconds_count"), RecModel("recop_workqueue_depth"));
    }

    /// <summary>VmRSS and VmHWM of a process, in MB (Linux).</summary>
    private static (double Rss, double Peak) Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        double Kb(string field) => double.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (Kb("VmRSS") / 1024, Kb("VmHWM") / 1024);
    }
}
