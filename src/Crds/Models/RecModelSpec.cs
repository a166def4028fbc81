using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>A recommendation model and the hardware variants it may be served with.</summary>
[Description("A recommendation model and the hardware variants it may be served with.")]
[CelRule("self.autoscaling.minTotalReplicas <= self.variants.map(v, v.replicas.max).sum()",
    "minTotalReplicas must be <= the sum of the variants' replicas.max", FieldPath = ".autoscaling.minTotalReplicas")]
[CelRule("!has(self.inputs) || self.inputs.user.all(u, !(u in self.inputs.candidate))",
    "an input cannot be both user-side and candidate-side", FieldPath = ".inputs")]
public sealed record RecModelSpec
{
    /// <summary>Most variants of one model; bounds the cost the API server estimates for the CEL rules above.</summary>
    public const int MaxVariants = 32;

    [Description("Latency objective.")]
    public required SloSpec Slo { get; init; }

    [Description("Dynamic batching in the pods.")]
    public BatchingSpec Batching { get; init; } = new();

    [Description("Autoscaling policy.")]
    public AutoscalingSpec Autoscaling { get; init; } = new();

    [Description("User-side and candidate-side inputs, for computing user-side work once per request.")]
    public InputsSpec? Inputs { get; init; }

    [Description("The hardware variants; at least one.")]
    [MinItems(1)]
    [MaxItems(MaxVariants)]
    [ListMapKey("name")]
    public required IReadOnlyList<VariantSpec> Variants { get; init; }
}
