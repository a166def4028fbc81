using System.ComponentModel;

namespace RecOperator.Crds.Models;

/// <summary>How many replicas of one variant a pool can hold, sized by that variant's own requests.</summary>
[Description("Replica slots the pool offers one variant, sized by that variant's own requests.")]
public sealed record NodePoolVariantSlots
{
    [Description("The RecModel, as namespace/name.")]
    public required string Model { get; init; }

    [Description("Variant name.")]
    public required string Variant { get; init; }

    [Description("Replicas of this variant alone the ready nodes can hold (its requests, plus one accelerator on Gpu and Asic pools), bounded by capacityLimit.")]
    public int Slots { get; init; }

    [Description("Replicas of this variant that still fit now: the ready nodes' allocatable less the requests of every pod bound there (any owner), bounded by what capacityLimit leaves after allocatedSlots.")]
    public int Free { get; init; }
}
