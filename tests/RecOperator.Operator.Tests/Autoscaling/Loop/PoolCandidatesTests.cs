using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Operator.Autoscaling.Loop;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Autoscaling.Loop;

/// <summary>The slots a model may use in each pool, from the NodePool's spec and the status its controller wrote.</summary>
public sealed class PoolCandidatesTests
{
    private static readonly ObjectKey Small = new("default", "small");

    [Fact]
    public void Build_PoolSharedWithABiggerModel_SlotsAreTheModelsOwnFreeRoomPlusItsReplicas()
    {
        // By everyone's largest request the pool is full (4 of 4); by this model's requests 6 more fit, and its variants'
        // smallest room decides (a replica of either may be placed there).
        var pool = Pool(limit: null, allocatable: 4, allocated: 4, Slots("default/big", "fp32", free: 0), Slots("default/small", "int8", free: 9), Slots("default/small", "fp32", free: 6));

        var candidate = PoolCandidates.Build([pool], Small, new Dictionary<string, int> { ["shared"] = 2 }).Single();

        candidate.Slots.Should().Be(8, "6 free beside every pod, and its own 2 replicas it may keep");
        candidate.Capacity.Should().Be(4, "capacity is the pool's size, not this model's view of it");
        PoolCandidates.Build([pool], new ObjectKey("default", "big"), new Dictionary<string, int>()).Single().Slots.Should().Be(0);
    }

    [Fact]
    public void Build_ModelTheStatusDoesNotListYet_SlotsFromThePoolsCounts()
    {
        var pool = Pool(limit: null, allocatable: 10, allocated: 7, Slots("default/big", "fp32", free: 0));

        PoolCandidates.Build([pool], Small, new Dictionary<string, int> { ["shared"] = 1 }).Single().Slots.Should().Be(4);
    }

    [Fact]
    public void Build_CapacityLimitBelowTheFreeRoom_LimitBounds()
    {
        var pool = Pool(limit: 5, allocatable: 5, allocated: 1, Slots("default/small", "int8", free: 30));

        PoolCandidates.Build([pool], Small, new Dictionary<string, int>()).Single().Slots.Should().Be(5);
    }

    [Fact]
    public void Build_StatusNotWrittenYet_SpecLimitAndUnknownCapacity()
    {
        var pool = Pool(limit: 12, allocatable: 0, allocated: 0) with { Status = null };

        var candidate = PoolCandidates.Build([pool], Small, new Dictionary<string, int>()).Single();

        (candidate.Slots, candidate.Capacity).Should().Be((12, (int?)null));
    }

    private static NodePoolVariantSlots Slots(string model, string variant, int free) => new() { Model = model, Variant = variant, Slots = 100, Free = free };

    private static NodePool Pool(int? limit, int allocatable, int allocated, params NodePoolVariantSlots[] variants) => new()
    {
        Metadata = new Kube.Models.V1ObjectMeta { Name = "shared", Generation = 1 },
        Spec = new NodePoolSpec { Hardware = Hardware.Cpu, CostPerReplicaHour = 0.1, CapacityLimit = limit },
        Status = new NodePoolStatus { ObservedGeneration = 1, Nodes = 2, ReadyNodes = 2, AllocatableSlots = allocatable, AllocatedSlots = allocated, VariantSlots = variants },
    };
}
