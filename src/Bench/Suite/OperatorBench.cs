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
/// the first pass reconciles them all (status.observedGeneration caught up) and the operator's resident memory.
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

            using var process = StartOperator(recopAssembly, server.KubeconfigPath!, out var stderr);
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
                var children = (await client.For<RecOperator.Kube.Models.V1Deployment>().ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Count;
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {models.Count} RecModels reconciled in {elapsed.TotalSeconds:F1} s ({children} Deployments); operator RSS {rssMb:F0} MB, peak {peakMb:F0} MB")).ConfigureAwait(false);
                return
                [
                    new("operator", $"first pass over {models.Count} RecModels, reconciles per second", models.Count / elapsed.TotalSeconds, "/s",
                        $"{elapsed.TotalSeconds:F1} s until every status.observedGeneration caught up; {children} Deployments written (server-side apply, DevCluster in this process, no pods)"),
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

    private static Process StartOperator(string recopAssembly, string kubeconfig, out Task<string> stderr)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { recopAssembly, "operator", "--kubeconfig", kubeconfig, "--health-port", "0" })
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

    /// <summary>VmRSS and VmHWM of a process, in MB (Linux).</summary>
    private static (double Rss, double Peak) Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        double Kb(string field) => double.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (Kb("VmRSS") / 1024, Kb("VmHWM") / 1024);
    }
}
