using RecOperator.Crds;
using RecOperator.Crds.Validation;
using RecOperator.Demo.Setup;
using RecOperator.Tests.Shared;

using static RecOperator.Demo.Tests.DemoSampleInputs;

namespace RecOperator.Demo.Tests;

public sealed class DemoManifestsTests
{
    [Fact]
    public void RecModel_NoGpu_ServesTheBuiltArtifactsAndStaysValid()
    {
        var model = DemoManifests.RecModel(Samples, Fp32, Int8, new DemoOptions { SloMs = 30, CapacityScale = 0.1 });

        var variants = model["spec"]!["variants"]!.AsArray();
        variants.Select(v => (string)v!["name"]!).Should().Equal("cpu-int8", "cpu-fp32");
        ((string)variants[0]!["artifact"]!["uri"]!).Should().Be("file:///tmp/m/int8/user-candidate.int8.onnx");
        ((string)variants[1]!["artifact"]!["sha256"]!).Should().Be(new string('a', 64));
        variants[0]!["capacity"]!["qpsPerReplica"]!.ToJsonString().Should().Be("45");
        model["spec"]!["slo"]!["p99LatencyMs"]!.ToJsonString().Should().Be("30");
        DemoManifests.BaseRps(model).Should().Be(22);
        ResourceValidator.Validate(model).Should().BeEmpty("the demo applies what the operator would accept");
    }

    [Theory]
    [InlineData(false, new[] { "cpu-spot", "cpu-ondemand" })]
    [InlineData(true, new[] { "cpu-spot", "cpu-ondemand", "gpu" })]
    public void NodePools_GpuPoolOnlyWhereAGpuIsPresent(bool gpu, string[] expected)
    {
        DemoManifests.NodePools(Samples, gpu).Select(p => (string)p["metadata"]!["name"]!).Should().Equal(expected);
    }
}
