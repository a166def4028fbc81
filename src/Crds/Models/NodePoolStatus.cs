using System.ComponentModel;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Models;

/// <summary>The nodes a pool matched and how many replica slots they offer and hold.</summary>
[Description("The nodes the pool matched and the replica slots they offer and hold.")]
public sealed record NodePoolStatus
{
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }

    [Description("Nodes that match the nodeSelector.")]
    public int Nodes { get; init; }

    [Description("Matching nodes that are Ready.")]
    public int ReadyNodes { get; init; }

    [Description("Replica slots the ready nodes can hold, given the pods' requests (bounded by capacityLimit).")]
    public int AllocatableSlots { get; init; }

    [Description("Replica slots in use.")]
    public int AllocatedSlots { get; init; }

    [Description("Slots per variant eligible for the pool, each sized by that variant's own requests; allocatableSlots uses the largest request of them all.")]
    public IReadOnlyList<NodePoolVariantSlots> VariantSlots { get; init; } = [];

    [Description("Ready and other conditions of the pool.")]
    public IReadOnlyList<V1Condition> Conditions { get; init; } = [];
}
