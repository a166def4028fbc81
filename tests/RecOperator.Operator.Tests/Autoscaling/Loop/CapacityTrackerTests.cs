using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

public sealed class CapacityTrackerTests
{
    private static VariantSpec Variant(double? profile) => new()
    {
        Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["cpu"],
        Capacity = profile is { } qps ? new CapacityProfileSpec { QpsPerReplica = qps } : null,
    };

    [Theory]
    [InlineData(450.0, 450.0, CapacitySource.Profile)]
    [InlineData(null, CapacityTracker.UnprofiledQpsPerReplica, CapacitySource.Default)]
    public void Initial_ProfileOrNone_StartsFromTheProfileOrTheLowDefault(double? profile, double expectedQps, CapacitySource expectedSource)
    {
        CapacityTracker.Initial(Variant(profile)).Should().Be(new CapacityEstimate(expectedQps, expectedSource));
    }
}
