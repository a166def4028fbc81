using System.ComponentModel;
using RecOperator.Crds.Schema;

namespace RecOperator.Crds.Models;

/// <summary>A recommendation model and the hardware variants it may be served with.</summary>
[Description("A recommendation model and the hardware variants it may be served with.")]
public sealed record RecModelSpec
{
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
    [ListMapKey("name")]
    public required IReadOnlyList<VariantSpec> Variants { get; init; }
}
