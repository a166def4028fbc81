using System.ComponentModel;
using RecOperator.Crds.Schema;
using RecOperator.Kube.Models;

namespace RecOperator.Crds.Models;

/// <summary>A group of nodes of one hardware kind and price that variants can be placed in.</summary>
[Description("A group of nodes of one hardware kind and price that variants can be placed in.")]
[CelRule("self.hardware == 'Cpu' || has(self.acceleratorResourceName)", "acceleratorResourceName is required for Gpu and Asic pools", FieldPath = ".acceleratorResourceName")]
public sealed record NodePoolSpec
{
    [Description("Hardware of the pool's nodes.")]
    public required Hardware Hardware { get; init; }

    [Description("Labels that select the pool's nodes; copied into the pods' nodeSelector.")]
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    [Description("Tolerations the pods need for the pool's taints.")]
    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    [Description("Extended resource each pod requests on Gpu and Asic pools, e.g. nvidia.com/gpu.")]
    [Pattern(Patterns.ExtendedResourceName, Patterns.ExtendedResourceNameReason)]
    public string? AcceleratorResourceName { get; init; }

    [Description("Price of one replica for one hour, in any currency used consistently across pools.")]
    [Minimum(0)]
    public double CostPerReplicaHour { get; init; }

    [Description("Most replicas the pool may hold over all models; unset means limited only by the nodes.")]
    [Minimum(0)]
    public int? CapacityLimit { get; init; }

    [Description("True for pools whose nodes can be taken away at short notice (spot, preemptible).")]
    public bool Preemptible { get; init; }
}
