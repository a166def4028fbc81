using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>A Deployment in a pool its variant leaves stays while it serves and the replacement is not ready.</summary>
public sealed class PoolDepartureTests
{
    private const string Uid = "model-uid";

    private static readonly Dictionary<string, NodePoolSpec> Pools = new()
    {
        ["spot"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.04 },
        ["ondemand"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.12 },
    };

    [Fact]
    public void Retained_LeftPoolServingAndReplacementNotReady_KeptWithoutAPlan()
    {
        var model = Model(pools: ["spot"]);
        var placements = Placements(model, ("spot", 3));
        List<V1Deployment> existing = [Deployment("ondemand", ready: 2), Deployment("spot", ready: 1)];

        var retained = PoolDeparture.Retained(model, Pools, placements, existing, plan: null);

        retained.Should().Equal(new LeavingDeployment(new PlacementKey("a", "ondemand"), "m-a-ondemand", 2));
        retained[0].ToString().Should().Be("a@ondemand (m-a-ondemand, 2 ready)");
    }

    [Fact]
    public void Retained_ReplacementReady_NotKept()
    {
        var model = Model(pools: ["spot"]);

        var retained = PoolDeparture.Retained(model, Pools, Placements(model, ("spot", 3)), [Deployment("ondemand", ready: 2), Deployment("spot", ready: 3)], plan: null);

        retained.Should().BeEmpty();
    }

    [Fact]
    public void Retained_NothingReadyInTheLeftPool_NotKept()
    {
        var model = Model(pools: ["spot"]);

        var retained = PoolDeparture.Retained(model, Pools, Placements(model, ("spot", 3)), [Deployment("ondemand", ready: 0)], plan: null);

        retained.Should().BeEmpty("nothing serves there, so nothing is lost by removing it");
    }

    [Fact]
    public void Retained_NodePoolDeletedWhileItsPodsServe_Kept()
    {
        var model = Model(pools: ["spot", "ondemand"]);
        var pools = new Dictionary<string, NodePoolSpec> { ["spot"] = Pools["spot"] };

        var retained = PoolDeparture.Retained(model, pools, Placements(model, ("spot", 2)), [Deployment("ondemand", ready: 2)], plan: null);

        retained.Select(r => r.Name).Should().Equal("m-a-ondemand");
    }

    [Fact]
    public void Retained_WithAPlan_FollowsThePlansReplicasThere()
    {
        var model = Model(pools: ["spot"]);
        var placements = Placements(model, ("spot", 3));
        List<V1Deployment> existing = [Deployment("ondemand", ready: 2), Deployment("spot", ready: 3)];
        var holding = new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("a", "spot")] = 3, [new("a", "ondemand")] = 2 } };
        var released = new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("a", "spot")] = 3 } };

        PoolDeparture.Retained(model, Pools, placements, existing, holding).Select(r => r.Name).Should().Equal("m-a-ondemand");
        PoolDeparture.Retained(model, Pools, placements, existing, released).Should().BeEmpty();
    }

    [Fact]
    public void Retained_HardwareChangeLeavesTheVariantNoPoolAtAll_KeptEvenWhenThePlanReleasesIt()
    {
        // The variant was edited to Gpu while it lists only Cpu pools: nowhere to move to, so nothing will replace
        // what serves now. Removing it would turn a spec mistake (HardwareMismatch) into an outage.
        var model = Model(pools: ["ondemand"]);
        var gpu = model with { Spec = model.Spec with { Variants = [model.Spec.Variants[0] with { Hardware = Hardware.Gpu }] } };
        var released = new FleetPlan { Replicas = new Dictionary<PlacementKey, int>() };

        var withoutPlan = PoolDeparture.Retained(gpu, Pools, [], [Deployment("ondemand", ready: 2)], plan: null);
        var withPlan = PoolDeparture.Retained(gpu, Pools, [], [Deployment("ondemand", ready: 2)], released);

        withoutPlan.Should().Equal(new LeavingDeployment(new PlacementKey("a", "ondemand"), "m-a-ondemand", 2, Stranded: true));
        withPlan.Should().Equal(withoutPlan);
    }

    [Fact]
    public void Retained_VariantRemovedOrStillEligibleOrNotOwned_NotKept()
    {
        var model = Model(pools: ["spot", "ondemand"]);
        var placements = Placements(model, ("spot", 3));
        var otherVariant = Deployment("ondemand", ready: 2) with { Metadata = Deployment("ondemand", 2).Metadata! with { Labels = Labels("gone", "ondemand") } };
        var notOwned = Deployment("ondemand", ready: 2) with { Metadata = Deployment("ondemand", 2).Metadata! with { OwnerReferences = [] } };

        // ondemand is still eligible: the autoscaler dropped it, which it does only once the rest is ready.
        PoolDeparture.Retained(model, Pools, placements, [Deployment("ondemand", ready: 2)], plan: null).Should().BeEmpty();
        PoolDeparture.Retained(Model(pools: ["spot"]), Pools, placements, [otherVariant, notOwned], plan: null).Should().BeEmpty();
    }

    private static RecModel Model(string[] pools) => new()
    {
        Metadata = new V1ObjectMeta { Name = "m", Namespace = "default", Uid = Uid },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 25 },
            Variants = [new VariantSpec { Name = "a", Hardware = Hardware.Cpu, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = [.. pools], Replicas = new ReplicaBounds { Min = 1, Max = 10 } }],
        },
    };

    private static List<VariantPlacement> Placements(RecModel model, params (string Pool, int Replicas)[] pairs) =>
        [.. pairs.Select(p => new VariantPlacement(model.Spec.Variants[0], p.Pool, Pools[p.Pool], p.Replicas))];

    private static Dictionary<string, string> Labels(string variant, string pool) =>
        new() { [ChildLabels.Model] = "m", [ChildLabels.Variant] = variant, [ChildLabels.Pool] = pool, [ChildLabels.ManagedBy] = ChildLabels.Manager };

    private static V1Deployment Deployment(string pool, int ready) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"m-a-{pool}",
            Namespace = "default",
            Labels = Labels("a", pool),
            OwnerReferences = [new V1OwnerReference { ApiVersion = RecModel.Descriptor.ApiVersion, Kind = RecModel.KindName, Name = "m", Uid = Uid, Controller = true }],
        },
        Spec = new V1DeploymentSpec { Replicas = ready, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus { ReadyReplicas = ready },
    };
}
