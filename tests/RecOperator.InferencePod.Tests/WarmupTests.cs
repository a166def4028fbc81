using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

public sealed class WarmupTests
{
    [Fact]
    public async Task StartAsync_WarmupRuns_AllRunBeforeThePortsOpenAndReadiness()
    {
        var model = await TestModels.DlrmAsync();
        var httpPort = RecopProcess.FreePort();
        var engine = new PortWatchingEngine(OrtEngine.Create(), httpPort);

        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { HttpPort = httpPort, WarmupRuns = 3 }, engine);

        // StartAsync returns right after readiness turns true: the row probe's four calls and the engine's warm-up runs
        // came before the port listened, then one request over REST and one over gRPC per run went through the open
        // ports before readiness.
        pod.State.Ready.Should().BeTrue();
        pod.WarmupRequests.Should().Be(6);
        engine.Runs.Should().Be(4 + 3 + 6);
        engine.RunsWithPortOpen.Should().Be(6);
        using var rest = TestPods.RestClient(pod);
        (await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(1)))).Should().HaveCount(1);
        engine.Runs.Should().Be(14);
        engine.RunsWithPortOpen.Should().Be(7);
    }

    [Theory]
    [InlineData(TensorElementType.Float16)]
    [InlineData(TensorElementType.Bool)]
    [InlineData(TensorElementType.Int8)]
    [InlineData(TensorElementType.UInt8)]
    [InlineData(TensorElementType.Int32)]
    [InlineData(TensorElementType.Double)]
    public async Task StartAsync_ModelOfAnyServedDatatype_ServingPathWarmedOverBothProtocols(TensorElementType type)
    {
        var folder = Directory.CreateTempSubdirectory("recpod-warm-").FullName;
        var path = Path.Combine(folder, "identity.onnx");
        var graph = new Onnx.Model.OnnxGraphBuilder("identity").Input("in", type, "batch", 3).Output("out", type, "batch", 3);
        graph.NodeNamed("Identity", "out", ["in"]);
        await File.WriteAllBytesAsync(path, Google.Protobuf.MessageExtensions.ToByteArray(graph.Build("tests")));

        await using (var pod = await TestPods.StartAsync(TestPods.Options(path, "identity") with { WarmupRuns = 2 }))
        {
            pod.WarmupRequests.Should().Be(4, "one REST and one gRPC request per run, whatever the datatype");
        }
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task StartAsync_ServingWarmup_NotCountedAsTrafficWhileTheServingSeriesReadZero()
    {
        var model = await TestModels.DlrmAsync();
        await using var pod = await TestPods.StartAsync(TestPods.Options(model.Path) with { WarmupRuns = 2 });
        using var rest = TestPods.RestClient(pod);

        pod.WarmupRequests.Should().Be(4);
        var before = await rest.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        (await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(1)))).Should().HaveCount(2);
        var after = await rest.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        // Present from start-up at 0 (an idle pod is measured as 0 QPS, not as missing), but the pod's own warm-up
        // requests are not traffic.
        Lines(before, "recpod_requests_total{").Should().Equal("recpod_requests_total{code=\"200\",model=\"dlrm\",variant=\"cpu-fp32\"} 0");
        Lines(before, "recpod_request_duration_seconds_count{").Should().Equal("recpod_request_duration_seconds_count{model=\"dlrm\",variant=\"cpu-fp32\"} 0");
        Lines(before, "recpod_request_duration_seconds_bucket{").Should().NotBeEmpty().And.OnlyContain(l => l.EndsWith(" 0", StringComparison.Ordinal));
        Lines(before, "recpod_batch_size_count{").Should().BeEmpty();
        Lines(before, "recpod_inflight{").Should().NotContain(l => !l.EndsWith(" 0", StringComparison.Ordinal));
        Lines(after, "recpod_requests_total{").Should().Equal("recpod_requests_total{code=\"200\",model=\"dlrm\",variant=\"cpu-fp32\"} 1");
        Lines(after, "recpod_request_duration_seconds_count{").Should().Equal("recpod_request_duration_seconds_count{model=\"dlrm\",variant=\"cpu-fp32\"} 1");
        Lines(after, "recpod_candidates_total{").Should().Equal("recpod_candidates_total{model=\"dlrm\",variant=\"cpu-fp32\"} 2");
        Lines(after, "recpod_inflight{").Should().OnlyContain(l => l.EndsWith(" 0", StringComparison.Ordinal));
    }

    private static List<string> Lines(string metrics, string prefix) =>
        metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
}
