using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>Which pools the autoscaler may offer each variant: existing ones, and only those its hardware can use.</summary>
public sealed class ScalingInputBuilderTests
{
    [Fact]
    public void Build_GpuVariantListingACpuPoolAndAMissingOne_OffersOnlyTheGpuPool()
    {
        var model = new RecModel
        {
            Metadata = new Kube.Models.V1ObjectMeta { Name = "m", Namespace = "default" },
            Spec = new RecModelSpec
            {
                Slo = new SloSpec { P99LatencyMs = 25 },
                Variants =
                [
                    new VariantSpec { Name = "gpu", Hardware = Hardware.Gpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot", "gpu", "gone"] },
                    new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot", "gpu"] },
                ],
            },
        };
        PoolCandidate[] pools = [new("spot", 0.04, null), new("gpu", 0.9, null)];
        var hardware = new Dictionary<string, Hardware> { ["spot"] = Hardware.Cpu, ["gpu"] = Hardware.Gpu };
        var empty = new FleetMeasurement(new Dictionary<PlacementKey, MetricsSample>(), new Dictionary<PlacementKey, MetricsSample>());

        var input = ScalingInputBuilder.Build(model, pools, empty, new Dictionary<string, CapacityEstimate>(), ObservedFleet.Empty, hardware);

        input.Variants.Single(v => v.Name == "gpu").Pools.Should().Equal("gpu");
        input.Variants.Single(v => v.Name == "cpu").Pools.Should().Equal("spot", "gpu");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void Build_MinTotalReplicas_AtLeastOneSoDemandCanBeMeasured(int specMinTotal, int expected)
    {
        var model = new RecModel
        {
            Metadata = new Kube.Models.V1ObjectMeta { Name = "m", Namespace = "default" },
            Spec = new RecModelSpec
            {
                Slo = new SloSpec { P99LatencyMs = 25 },
                Autoscaling = new AutoscalingSpec { MinTotalReplicas = specMinTotal },
                Variants = [new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot"], Replicas = new ReplicaBounds { Min = 0, Max = 5 } }],
            },
        };
        var empty = new FleetMeasurement(new Dictionary<PlacementKey, MetricsSample>(), new Dictionary<PlacementKey, MetricsSample>());

        var input = ScalingInputBuilder.Build(model, [new("spot", 0.04, null)], empty, new Dictionary<string, CapacityEstimate>(), ObservedFleet.Empty,
            new Dictionary<string, Hardware> { ["spot"] = Hardware.Cpu });

        input.MinTotalReplicas.Should().Be(expected);
    }

    [Fact]
    public void Pairs_VariantStillRunningInAPoolItLeft_MeasuresThatPoolTooButNotARemovedVariant()
    {
        var model = new RecModel
        {
            Metadata = new Kube.Models.V1ObjectMeta { Name = "m", Namespace = "default" },
            Spec = new RecModelSpec
            {
                Slo = new SloSpec { P99LatencyMs = 25 },
                Variants = [new VariantSpec { Name = "cpu", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = ["spot"] }],
            },
        };
        var observed = new ObservedFleet(
            new Dictionary<PlacementKey, int> { [new("cpu", "ondemand")] = 3, [new("cpu", "spot")] = 1, [new("removed", "spot")] = 2 },
            new Dictionary<PlacementKey, ReplicaCounts>());

        // The left pool's pods serve until the move completes: unmeasured, their traffic would be missing from demand
        // and their ready pods would read as a metrics outage.
        ScalingInputBuilder.Pairs(model, observed).Should().Equal(new PlacementKey("cpu", "spot"), new PlacementKey("cpu", "ondemand"));
    }
}
