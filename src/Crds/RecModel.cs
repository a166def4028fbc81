using System.ComponentModel;
using RecOperator.Crds.Models;
using RecOperator.Crds.Schema;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.Crds;

/// <summary>A recommendation model served by a fleet of hardware variants (namespaced).</summary>
[Description("RecModel: a recommendation model served by a fleet of hardware variants under a latency SLO.")]
[CelRule("self.metadata.name.size() <= 22", "metadata.name must be at most 22 characters: it prefixes the names of the model's Services")]
[CelRule("self.metadata.name.matches('^[a-z]')", "metadata.name must start with a letter: it is the name of the model's Service, a DNS-1035 label")]
public sealed record RecModel : IKubernetesResource
{
    public const string KindName = "RecModel";

    /// <summary>
    /// The longest model name: it prefixes the names of the model's Services (model-variant), which are DNS-1035 labels
    /// of at most 63 characters. The CEL rule above says the same to the API server (an attribute cannot read this).
    /// </summary>
    public const int MaxNameLength = 22;

    public static ResourceDescriptor Descriptor { get; } = new(ApiGroup.Name, ApiGroup.Version, KindName, "recmodels", Namespaced: true);

    public string? ApiVersion { get; init; } = ApiGroup.ApiVersion;

    public string? Kind { get; init; } = KindName;

    public V1ObjectMeta? Metadata { get; init; }

    public required RecModelSpec Spec { get; init; }

    public RecModelStatus? Status { get; init; }
}
