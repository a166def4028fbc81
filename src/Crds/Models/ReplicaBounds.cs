using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>Bounds the autoscaler keeps a variant's total replicas within, across its pools.</summary>
[Description("Bounds on a variant's replicas summed over its pools.")]
[CelRule("self.min <= self.max", "min must be <= max")]
public sealed record ReplicaBounds
{
    [Description("Fewest replicas of this variant (0 lets the autoscaler turn the variant off).")]
    [Minimum(0)]
    [Maximum(10000)]
    public int Min { get; init; }

    [Description("Most replicas of this variant.")]
    [Minimum(0)]
    [Maximum(10000)]
    public int Max { get; init; } = 10;
}
