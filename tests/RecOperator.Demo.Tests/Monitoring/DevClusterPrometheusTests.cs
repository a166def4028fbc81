using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecOperator.Demo.Monitoring;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Observability.LocalPrometheus;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Metrics;
using RecOperator.Operator.Runtime;

namespace RecOperator.Demo.Tests.Monitoring;

/// <summary>
/// A real Prometheus configured as the demo configures it, against an HTTPS DevCluster: it must find an inference pod
/// through DevCluster's discovery (token and CA), reach it on its host port, label its series as the autoscaler's
/// queries select them, and leave out pods that are not the operator's. Read back through the autoscaler's own
/// Prometheus source.
/// </summary>
public sealed class DevClusterPrometheusTests
{
    [Fact]
    public async Task Prometheus_DemoConfigOnHttpsDevCluster_ScrapesTheInferencePodWithTheAutoscalersLabels()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        var folder = Directory.CreateTempSubdirectory("demo-prometheus-").FullName;
        try
        {
            await using var metrics = await FakePodMetricsAsync(ct);
            var metricsPort = metrics.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).First();
            await using var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = Path.Combine(folder, "cluster"), Port = 0 }, ct);
            using var client = new KubeApiClient(KubeConfigLoader.Load(server.KubeconfigPath!), new KubeApiClientOptions());
            await CreateRunningAsync(client, RunningPod("ranking-cpu-int8-cpu-spot-0", ChildLabels.For("ranking", "cpu-int8", "cpu-spot"), metricsPort), ct);
            await CreateRunningAsync(client, RunningPod("someone-elses", new Dictionary<string, string> { ["app"] = "other" }, metricsPort), ct);

            var configuration = DevClusterPrometheusConfig.Render(server.BaseAddress, server.TokenFile, server.CaFile, TimeSpan.FromSeconds(1));
            await using var prometheus = await PrometheusServer.StartAsync(configuration, Path.Combine(folder, "prometheus"), 0, ct);
            using var http = new HttpClient();
            var source = new PrometheusMetricsSource(new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.Address }), new ObjectKey("default", "ranking"));
            var watch = Stopwatch.StartNew();
            var sample = MetricsSample.Missing;
            while (watch.Elapsed < TimeSpan.FromSeconds(45) && (sample.IsMissing || sample.ReadyReplicas != 1))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                sample = await source.QueryAsync("cpu-int8", "cpu-spot", TimeSpan.FromSeconds(10), ct);
            }
            var everyTarget = await new PrometheusClient(http, new PrometheusClientOptions { BaseAddress = prometheus.Address }).QueryAsync("count(up)", ct);

            var because = "Prometheus' log:\n" + string.Join('\n', File.ReadLines(Path.Combine(prometheus.Folder, "prometheus.log")).TakeLast(15));
            sample.ReadyReplicas.Should().Be(1, because);
            sample.Qps.Should().BeGreaterThan(0, because);
            everyTarget.Value.Should().Be(1, "the pod without the operator's labels is dropped by the relabelling; " + because);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Creates the pod, then writes its status through the status subresource as its kubelet would: the API server gives a new pod its own status.</summary>
    private static async Task CreateRunningAsync(KubeApiClient client, V1Pod pod, CancellationToken ct)
    {
        var pods = client.For<V1Pod>();
        var created = await pods.CreateAsync(pod with { Status = null }, "default", ct);
        await pods.UpdateStatusAsync(created with { Status = pod.Status }, ct);
    }

    /// <summary>A pod as the node agent leaves it: running on 127.0.0.1 with its http port mapped to the host port given.</summary>
    private static V1Pod RunningPod(string name, Dictionary<string, string> labels, int hostPort) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = labels,
            Annotations = new Dictionary<string, string> { [NetworkingNames.HostPortsAnnotation] = $"{{\"{PodPorts.Http}\":{hostPort}}}" },
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "recpod", Image = OperatorImages.Default.InferencePod, Ports = [new V1ContainerPort { Name = PodPorts.HttpName, ContainerPort = PodPorts.Http }] }],
        },
        Status = new V1PodStatus { Phase = "Running", PodIP = "127.0.0.1" },
    };

    /// <summary>/metrics with a request counter that grows on every scrape, so rate() has something to measure.</summary>
    private static async Task<WebApplication> FakePodMetricsAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var scrapes = 0;
        app.MapGet("/metrics", () => Results.Text(
            string.Create(CultureInfo.InvariantCulture, $"# TYPE recpod_requests_total counter\nrecpod_requests_total{{model=\"ranking\",variant=\"cpu-int8\"}} {10 * Interlocked.Increment(ref scrapes)}\n"),
            "text/plain; version=0.0.4"));
        await app.StartAsync(ct);
        return app;
    }
}
