using RecOperator.Kube.Models;

namespace RecOperator.Kube;

/// <summary>Any persisted Kubernetes object: built-in (generated) or custom (src/Crds).</summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; }

    string? Kind { get; }

    V1ObjectMeta? Metadata { get; }
}
