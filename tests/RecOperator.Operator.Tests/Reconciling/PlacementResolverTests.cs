using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>Where variants run: the plan wins, then the observation, then the minimums at least cost.</summary>
public sealed class PlacementResolverTests
{
    private static readonly Dictionary<string, NodePoolSpec> Pools = new()
    {
        ["spot"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.04 },
        ["ondemand"] = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.12 },
    };

    [Fact]
    public void Resolve_NewModelWithoutPlan_PlacesMinimumsInTheCheapestPool()
    {
        var placements = PlacementResolver.Resolve(Model(minTotal: 3), Pools, null, new Dictionary<PlacementKey, int>());

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 3)]);
    }

    [Fact]
    public void Resolve_ObservedDeploymentsWithoutPlan_KeepsTheirReplicas()
    {
        var observed = new Dictionary<PlacementKey, int> { [new("a", "ondemand")] = 7 };

        var placements = PlacementResolver.Resolve(Model(minTotal: 3), Pools, null, observed);

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "ondemand", 7)]);
    }

    [Fact]
    public void Resolve_Plan_WinsOverObservationAndSkipsZerosAndMissingPools()
    {
        var plan = new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("a", "spot")] = 2, [new("a", "ondemand")] = 0, [new("a", "gone")] = 4 } };
        var observed = new Dictionary<PlacementKey, int> { [new("a", "ondemand")] = 7 };

        var placements = PlacementResolver.Resolve(Model(minTotal: 1, pools: ["spot", "ondemand", "gone"]), Pools, plan, observed);

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 2)]);
    }

    [Fact]
    public void Resolve_DeploymentsOnlyInAPoolTheVariantLeft_StartsTheMinimumInAPoolItMayUse()
    {
        // The spec's nodePools no longer list ondemand (or the NodePool was deleted): its Deployment is not built again,
        // so the variant must be placed where it may run instead of counting as placed.
        var observed = new Dictionary<PlacementKey, int> { [new("a", "ondemand")] = 3 };

        var placements = PlacementResolver.Resolve(Model(minTotal: 2, pools: ["spot"]), Pools, null, observed);
        var poolDeleted = PlacementResolver.Resolve(Model(minTotal: 2), new Dictionary<string, NodePoolSpec> { ["spot"] = Pools["spot"] }, null, observed);

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 2)]);
        poolDeleted.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 2)]);
    }

    [Fact]
    public void Resolve_PlanOnlyForAPoolTheVariantLeft_StartsTheMinimumUntilTheNextPlan()
    {
        var plan = new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("a", "ondemand")] = 4 } };

        var placements = PlacementResolver.Resolve(Model(minTotal: 1, pools: ["spot"]), Pools, plan, new Dictionary<PlacementKey, int>());

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 1)]);
    }

    [Fact]
    public void Resolve_GpuVariantListingACpuPool_PlacesItOnlyInTheGpuPoolAndSaysWhy()
    {
        var pools = new Dictionary<string, NodePoolSpec>(Pools) { ["gpu"] = new NodePoolSpec { Hardware = Hardware.Gpu, CostPerReplicaHour = 0.9, AcceleratorResourceName = "nvidia.com/gpu" } };
        var model = Model(minTotal: 1, pools: ["spot", "gpu"], hardware: Hardware.Gpu);
        var plan = new FleetPlan { Replicas = new Dictionary<PlacementKey, int> { [new("a", "spot")] = 3, [new("a", "gpu")] = 2 } };

        var fresh = PlacementResolver.Resolve(model, pools, null, new Dictionary<PlacementKey, int>());
        var planned = PlacementResolver.Resolve(model, pools, plan, new Dictionary<PlacementKey, int>());

        fresh.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "gpu", 1)], "the cheaper spot pool has no GPU");
        planned.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "gpu", 2)], "a plan for the Cpu pool is not applied either");
        RecOperator.Operator.Desired.HardwareFit.Mismatches(model, pools).Should().Equal("variant a (Gpu) lists NodePool spot (Cpu); it runs only in Gpu pools, so it is not placed there");
    }

    [Fact]
    public void Resolve_CpuVariantListingAGpuPool_MayRunThere()
    {
        var pools = new Dictionary<string, NodePoolSpec> { ["gpu"] = new NodePoolSpec { Hardware = Hardware.Gpu, CostPerReplicaHour = 0.9 } };

        PlacementResolver.Resolve(Model(minTotal: 1, pools: ["gpu"]), pools, null, new Dictionary<PlacementKey, int>())
            .Select(p => p.PoolName).Should().Equal("gpu");
        RecOperator.Operator.Desired.HardwareFit.Mismatches(Model(minTotal: 1, pools: ["gpu"]), pools).Should().BeEmpty();
    }

    [Fact]
    public void Resolve_NewModelWhileOtherModelsFillTheCheapPool_PlacesItsMinimumsWhereTheyLeaveRoom()
    {
        // spot's capacityLimit is 10 over all models and other models hold 9 of its slots: only one is left for this one.
        var spot = NodePool("spot", 0.04, limit: 10, allocated: 9);
        var room = PoolCandidates.Build([spot, NodePool("ondemand", 0.12, limit: null, allocated: 0)], ModelKey, new Dictionary<string, int>()).ToDictionary(p => p.Name);

        var placements = PlacementResolver.Resolve(Model(minTotal: 3), Pools, null, new Dictionary<PlacementKey, int>(), room);

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 1), ("a", "ondemand", 2)]);
        PlacementResolver.ShortOfRoom(Model(minTotal: 3), Pools, placements, room).Should().BeEmpty();
    }

    [Fact]
    public void Resolve_SmallModelInAPoolABiggerModelFilledBySlotCount_PlacesItWhereItsOwnRequestsStillFit()
    {
        // spot's slots are sized by another model's 4-CPU replicas (4 in all, 4 taken), but its nodes still have CPUs
        // free for 8 of this model's 1-CPU replicas: the cheap pool is not full for it.
        var shared = NodePool("spot", 0.04, limit: null, allocated: 4);
        var spot = shared with
        {
            Status = shared.Status! with { AllocatableSlots = 4, VariantSlots = [Slots("default/big", "fp32", slots: 4, free: 0), Slots("default/m", "a", slots: 16, free: 8)] },
        };
        var room = PoolCandidates.Build([spot, NodePool("ondemand", 0.12, limit: null, allocated: 0)], ModelKey, new Dictionary<string, int>()).ToDictionary(p => p.Name);

        var placements = PlacementResolver.Resolve(Model(minTotal: 3), Pools, null, new Dictionary<PlacementKey, int>(), room);

        placements.Select(p => (p.Variant.Name, p.PoolName, p.Replicas)).Should().BeEquivalentTo([("a", "spot", 3)]);
        PlacementResolver.ShortOfRoom(Model(minTotal: 3), Pools, placements, room).Should().BeEmpty();
    }

    [Fact]
    public void ShortOfRoom_EveryPoolTheVariantMayUseIsFull_SaysSoOnlyThen()
    {
        var model = Model(minTotal: 1, pools: ["spot"]) with { };
        var full = PoolCandidates.Build([NodePool("spot", 0.04, limit: 4, allocated: 4)], ModelKey, new Dictionary<string, int>()).ToDictionary(p => p.Name);
        var free = PoolCandidates.Build([NodePool("spot", 0.04, limit: 4, allocated: 3)], ModelKey, new Dictionary<string, int>()).ToDictionary(p => p.Name);

        var placements = PlacementResolver.Resolve(model, Pools, null, new Dictionary<PlacementKey, int>(), full);

        placements.Should().BeEmpty();
        PlacementResolver.ShortOfRoom(model, Pools, placements, full).Should().Equal(
            "variant a has 0 of its minimum 1 replicas: every slot of NodePool spot is taken (capacityLimit or nodes)");
        PlacementResolver.ShortOfRoom(model, Pools, placements, free).Should().BeEmpty("a slot is free, so the shortfall is not for want of room");
    }

    private static readonly ObjectKey ModelKey = new("default", "m");

    private static NodePoolVariantSlots Slots(string model, string variant, int slots, int free) => new() { Model = model, Variant = variant, Slots = slots, Free = free };

    private static NodePool NodePool(string name, double cost, int? limit, int allocated) => new()
    {
        Metadata = new Kube.Models.V1ObjectMeta { Name = name },
        Spec = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = cost, CapacityLimit = limit },
        Status = new NodePoolStatus { ObservedGeneration = 1, Nodes = 2, ReadyNodes = 2, AllocatableSlots = limit ?? 100, AllocatedSlots = allocated },
    };

    private static RecModel Model(int minTotal, IReadOnlyList<string>? pools = null, Hardware hardware = Hardware.Cpu) => new()
    {
        Metadata = new Kube.Models.V1ObjectMeta { Name = "m", Namespace = "default", Uid = "u" },
        Spec = new RecModelSpec
        {
            Slo = new SloSpec { P99LatencyMs = 25 },
            Autoscaling = new AutoscalingSpec { MinTotalReplicas = minTotal },
            Variants =
            [
                new VariantSpec
                {
                    Name = "a", Hardware = hardware, Artifact = new ArtifactSpec { Uri = "file:///m.onnx" }, NodePools = pools ?? ["ondemand", "spot"],
                    Replicas = new ReplicaBounds { Min = 1, Max = 10 }, Capacity = new CapacityProfileSpec { QpsPerReplica = 100 },
                },
            ],
        },
    };
}
