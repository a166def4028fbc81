using Microsoft.Extensions.Logging;
using RecOperator.InferencePod.Server;
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

        await using var pod = await PodServer.StartAsync(TestPods.Options(model.Path) with { HttpPort = httpPort, WarmupRuns = 3 }, engine,
            logging => logging.SetMinimumLevel(LogLevel.None));

        // StartAsync returns right after readiness turns true: every warm-up run is done by then, each before the port listened.
        pod.State.Ready.Should().BeTrue();
        engine.Runs.Should().Be(3);
        engine.RunsWithPortOpen.Should().Be(0);
        // A request's run sees the port open: the probe tells the two apart.
        using var rest = TestPods.RestClient(pod);
        (await InferJson.InferAsync(rest, "dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(1)))).Should().HaveCount(1);
        engine.Runs.Should().Be(4);
        engine.RunsWithPortOpen.Should().Be(1);
    }
}
