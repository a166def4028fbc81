using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Yaml;

namespace RecOperator.DevCluster.Bench;

/// <summary>
/// Loads a control plane (durable log on) with RecModels (the project's own CRD, from manifests/crds, so every write
/// goes through its real schema and CEL rules) and Deployments over HTTP, reports the process RSS, then measures how
/// long a change takes to reach each of N watchers.
/// </summary>
public static class ScaleBenchmark
{
    private const string Collection = "/apis/serving.recoperator.io/v1alpha1/namespaces/default/recmodels";

    public static async Task<ScaleBenchmarkResult> RunAsync(string dataDirectory, int customResources, int deployments, int watchers, int changes, CancellationToken ct)
    {
        await using var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = dataDirectory, Secure = false }, ct).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await SendAsync(http, HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", await RecModelCrdAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var load = Stopwatch.StartNew();
        await ParallelAsync(customResources, i => SendAsync(http, HttpMethod.Post, Collection, Model(i), ct), ct).ConfigureAwait(false);
        await ParallelAsync(deployments, i => SendAsync(http, HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment(i), ct), ct).ConfigureAwait(false);
        load.Stop();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var rss = self.WorkingSet64 / 1024.0 / 1024.0;
        var heap = GC.GetTotalMemory(false) / 1024.0 / 1024.0;
        var (latencies, afterAck) = await MeasureWatchAsync(http, watchers, changes, ct).ConfigureAwait(false);
        latencies.Sort();
        afterAck.Sort();
        return new ScaleBenchmarkResult(customResources, deployments, load.Elapsed.TotalSeconds, rss, heap, watchers, changes,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], Percentile(afterAck, 0.99), latencies.Count);
    }

    /// <summary>Each change is stamped before the write; each watcher records when the matching event arrived.</summary>
    private static async Task<(List<double> FromWrite, List<double> FromAck)> MeasureWatchAsync(HttpClient http, int watchers, int changes, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var sentAt = new double[changes];
        var ackAt = new double[changes];
        var received = new List<(int Index, double At)>[watchers];
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"{Collection}?limit=1", UriKind.Relative), ct).ConfigureAwait(false))!;
        var fromRv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            received[w] = [];
            using var response = await http.GetAsync(new Uri($"{Collection}?watch=true&resourceVersion={fromRv}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false));
            while (received[w].Count < changes && await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
            {
                var index = (int)JsonNode.Parse(line)!["object"]!["spec"]!["slo"]!["p99LatencyMs"]!.GetValue<double>() - 1;
                received[w].Add((index, clock.Elapsed.TotalMilliseconds));
            }
        }, stop.Token)).ToList();
        await Task.Delay(500, ct).ConfigureAwait(false);
        for (var i = 0; i < changes; i++)
        {
            sentAt[i] = clock.Elapsed.TotalMilliseconds;
            // p99LatencyMs = i + 1 always differs from the stored value (created with 0.5): a patch that changes nothing
            // is a no-op on the server, with no new resourceVersion and no watch event, and the watchers would wait for it.
            await SendAsync(http, HttpMethod.Patch, $"{Collection}/model-{i % 10}",
                new JsonObject { ["spec"] = new JsonObject { ["slo"] = new JsonObject { ["p99LatencyMs"] = i + 1 } } }, ct, "application/merge-patch+json").ConfigureAwait(false);
            ackAt[i] = clock.Elapsed.TotalMilliseconds;
            await Task.Delay(5, ct).ConfigureAwait(false);
        }
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await Task.WhenAll(readers).ConfigureAwait(false);
        var all = received.SelectMany(r => r).ToList();
        return (all.Select(r => r.At - sentAt[r.Index]).ToList(), all.Select(r => Math.Max(0, r.At - ackAt[r.Index])).ToList());
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static async Task ParallelAsync(int count, Func<int, Task> work, CancellationToken ct) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, _) => await work(i).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, JsonNode body, CancellationToken ct, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType),
        };
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
        }
    }

    private static JsonObject Model(int i) => JsonNode.Parse("""
        {"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","metadata":{"name":"model-__I__","labels":{"app":"bench"}},
         "spec":{"slo":{"p99LatencyMs":0.5},"variants":[
           {"name":"cpu-int8","hardware":"Cpu","artifact":{"uri":"s3://models/m__I__/int8.onnx","precision":"int8"},
            "nodePools":["cpu-spot","cpu-ondemand"],"replicas":{"min":1,"max":20},"capacity":{"qpsPerReplica":450}},
           {"name":"cpu-fp32","hardware":"Cpu","artifact":{"uri":"s3://models/m__I__/fp32.onnx"},
            "nodePools":["cpu-ondemand"],"replicas":{"min":0,"max":20},"capacity":{"qpsPerReplica":200}}]}}
        """.Replace("__I__", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();

    private static JsonObject Deployment(int i) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"deploy-__I__","labels":{"app":"bench","model":"model-__M__"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"bench","instance":"d__I__"}},
          "template":{"metadata":{"labels":{"app":"bench","instance":"d__I__"}},
           "spec":{"containers":[{"name":"server","image":"recop/inference:dev","args":["--model","model-__M__","--variant","cpu-int8"],
             "ports":[{"containerPort":8080,"name":"http"}],"resources":{"requests":{"cpu":"1","memory":"1Gi"}}}]}}}}
        """.Replace("__I__", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
           .Replace("__M__", (i % 1000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();

    /// <summary>The RecModel CRD as shipped (generated from src/Crds into manifests/crds), read from this checkout.</summary>
    private static async Task<JsonObject> RecModelCrdAsync(CancellationToken ct)
    {
        var path = Path.Combine(RepositoryRoot.Find(), "manifests", "crds", "recmodels.serving.recoperator.io.yaml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the RecModel CRD is not at {path}: run from a checkout (./recop devcluster bench)", path);
        }
        return YamlDocuments.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)).OfType<JsonObject>().Single();
    }
}
