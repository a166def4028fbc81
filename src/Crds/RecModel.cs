using System.ComponentModel;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Crds;

/// <summary>A recommendation model served by a fleet of hardware variants (namespaced).</summary>
[Description("RecModel: a recommendation model served by a fleet of hardware variants under a latency SLO.")]
public sealed record RecModel : IKubernetesResource
{
    public const string KindName = "RecModel";

    public static ResourceDescriptor Descriptor { get; } = new(ApiGroup.Name, ApiGroup.Version, KindName, "recmodels", Namespaced: true);

    public string? ApiVersion { get; init; } = ApiGroup.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public V1ObjectMeta? Metadata { get; init; }

    public required RecModelSpec Spec { get; init; }

    public RecModelStatus? Status { get; init; }
}
