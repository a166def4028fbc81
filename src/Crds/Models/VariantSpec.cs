using System.ComponentModel;
using RecOperator.Crds.Schema;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Models;

/// <summary>One way of serving the model: an artifact on a kind of hardware, placed in eligible node pools.</summary>
[Description("One way of serving the model: an artifact on a kind of hardware, in eligible node pools.")]
[CelRule("!(self.executionProvider in ['Cuda', 'TensorRT']) || self.hardware == 'Gpu'", "Cuda and TensorRT execution providers need hardware Gpu", FieldPath = ".executionProvider")]
public sealed record VariantSpec
{
    [Description("Variant name, unique in the model; part of the names of its Deployments.")]
    [Pattern(Patterns.Dns1123Label, Patterns.Dns1123LabelReason)]
    [MaxLength(40)]
    public required string Name { get; init; }

    [Description("Hardware the variant runs on.")]
    public required Hardware Hardware { get; init; }

    [Description("The artifact served.")]
    public required ArtifactSpec Artifact { get; init; }

    [Description("ONNX Runtime execution provider. The project's images ship the Cpu and Cuda providers; the others need an inference pod image built with them (the operator's --pod-image / --pod-gpu-image), or the pods stop at start-up saying the provider is not available.")]
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;

    [Description("ONNX Runtime intra-op threads per pod.")]
    [Minimum(1)]
    [Maximum(256)]
    public int IntraOpThreads { get; init; } = 1;

    [Description("Names of the NodePools this variant may be placed in, each once; the solver picks among them by cost and capacity.")]
    [MinItems(1)]
    [ListSet]
    [ItemPattern(Patterns.Dns1123Label, Patterns.Dns1123LabelReason)]
    public required IReadOnlyList<string> NodePools { get; init; }

    [Description("Compute resources of each inference pod (requests and limits).")]
    public V1ResourceRequirements? Resources { get; init; }

    [Description("Bounds on this variant's replicas.")]
    public ReplicaBounds Replicas { get; init; } = new();

    [Description("Capacity of one replica, from profiling.")]
    public CapacityProfileSpec? Capacity { get; init; }
}
