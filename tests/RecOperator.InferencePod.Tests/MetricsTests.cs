using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

[Collection(DlrmPodCollection.Name)]
public sealed class MetricsTests(DlrmPodFixture fixture)
{
    [Fact]
    public async Task Metrics_AfterRequests_HasDesignNamesRuntimeAndKestrelAndPassesPromtool()
    {
        await InferJson.InferAsync(fixture.Rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(3, new DeterministicRandom(1)));
        using var response = await fixture.Rest.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        text.Should().Contain("recpod_requests_total{code=\"200\",model=\"dlrm\",variant=\"cpu-fp32\"}");
        text.Should().Contain("# TYPE recpod_request_duration_seconds histogram");
        text.Should().Contain("recpod_request_duration_seconds_bucket{model=\"dlrm\",variant=\"cpu-fp32\",le=\"0.025\"}");
        text.Should().Contain("recpod_candidates_total{model=\"dlrm\",variant=\"cpu-fp32\"}");
        text.Should().Contain("# TYPE recpod_batch_size histogram");
        text.Should().Contain("# TYPE recpod_queue_duration_seconds histogram");
        text.Should().Contain("recpod_queue_duration_seconds_bucket{model=\"dlrm\",variant=\"cpu-fp32\",le=\"0.002\"}");
        text.Should().Contain("# TYPE recpod_batch_duration_seconds histogram");
        text.Should().Contain("recpod_batch_duration_seconds_bucket{model=\"dlrm\",variant=\"cpu-fp32\",le=\"0.002\"}");
        text.Should().Contain("recpod_queue_depth{model=\"dlrm\",variant=\"cpu-fp32\"} 0");
        text.Should().Contain("recpod_inflight{model=\"dlrm\",variant=\"cpu-fp32\"}");
        text.Should().Contain("recpod_model_load_seconds{model=\"dlrm\",variant=\"cpu-fp32\"}");
        text.Should().Contain("dotnet_gc_collections_total");
        text.Should().Contain("kestrel_");
        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool"), ["check", "metrics"], text, TimeSpan.FromSeconds(20));
        exitCode.Should().Be(0, output);
    }

    [Fact]
    public async Task Prometheus_ScrapesPod_AnswersDesignRateAndQuantileQueries()
    {
        var prometheus = ExternalTool.Require("prometheus");
        var folder = Directory.CreateTempSubdirectory("recpod-prom-");
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: pod
                static_configs:
                  - targets: ['127.0.0.1:{fixture.Pod.HttpPort}']
            """);
        using var server = Process.Start(new ProcessStartInfo(prometheus,
        [
            "--config.file=" + Path.Combine(folder.FullName, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(folder.FullName, "data"),
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var inputs = TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(1));
            double? rate = null;
            double? p99 = null;
            var deadline = Stopwatch.StartNew();
            while ((rate is null || p99 is null) && deadline.Elapsed < TimeSpan.FromSeconds(45))
            {
                for (var i = 0; i < 10; i++)
                {
                    await InferJson.InferAsync(fixture.Rest, "dlrm", inputs);
                }
                await Task.Delay(500);
                rate ??= await QueryAsync(api, "sum(rate(recpod_requests_total[1m]))");
                p99 ??= await QueryAsync(api, "histogram_quantile(0.99, sum by (le) (rate(recpod_request_duration_seconds_bucket[1m])))");
            }

            rate.Should().BeGreaterThan(0, "Prometheus must see requests per second");
            p99.Should().BeInRange(0, 10, "the 99th percentile is a latency in seconds");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            folder.Delete(recursive: true);
        }
    }

    private static async Task<double?> QueryAsync(HttpClient api, string query)
    {
        try
        {
            using var document = JsonDocument.Parse(await api.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)));
            var result = document.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 0)
            {
                return null;
            }
            var value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            return double.IsFinite(value) && value > 0 ? value : null;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
