using System.ComponentModel;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Crds;

/// <summary>A priced group of nodes of one hardware kind that variants can be placed in (cluster-scoped).</summary>
[Description("NodePool: a priced group of nodes of one hardware kind that RecModel variants can be placed in.")]
public sealed record NodePool : IKubernetesResource
{
    public const string KindName = "NodePool";

    public static ResourceDescriptor Descriptor { get; } = new(ApiGroup.Name, ApiGroup.Version, KindName, "nodepools", Namespaced: false);

    public string? ApiVersion { get; init; } = ApiGroup.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public V1ObjectMeta? Metadata { get; init; }

    public required NodePoolSpec Spec { get; init; }

    public NodePoolStatus? Status { get; init; }
}
