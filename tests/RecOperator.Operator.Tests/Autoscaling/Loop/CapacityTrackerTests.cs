using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

public sealed class CapacityTrackerTests
{
    private static VariantSpec Variant(double? profile, double? profileP99Ms = null) => new()
    {
        Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["cpu"],
        Capacity = profile is { } qps ? new CapacityProfileSpec { QpsPerReplica = qps, P99LatencyMs = profileP99Ms } : null,
    };

    [Theory]
    [InlineData(450.0, null, 450.0, CapacitySource.Profile)]
    [InlineData(450.0, 25.0, 450.0, CapacitySource.Profile)]
    [InlineData(450.0, 18.0, 495.0, CapacitySource.Profile)]
    [InlineData(null, null, CapacityTracker.UnprofiledQpsPerReplica, CapacitySource.Default)]
    public void Initial_ProfileOrNone_StartsFromTheProfileOrTheLowDefault(double? profile, double? profileP99Ms, double expectedQps, CapacitySource expectedSource)
    {
        var initial = CapacityTracker.Initial(Variant(profile, profileP99Ms), sloP99Ms: 25);

        initial.Source.Should().Be(expectedSource);
        initial.QpsPerReplica.Should().BeApproximately(expectedQps, 1e-9);
    }
}
