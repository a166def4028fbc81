using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Reads the ConfigMap or Secret a pod refers to (a volume, an envFrom source, an env valueFrom key) as the name -> bytes
/// map every consumer projects from (<see cref="ConfigMapVolume.Contents"/>, <see cref="SecretVolume.Contents"/>).
/// </summary>
public static class KeyedObjects
{
    /// <summary>The object's keys, or null when it does not exist (or no name was given).</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(KubeApiClient api, string kind, string? name, string? ns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        return kind == KeyedVolumeSource.SecretKind
            ? SecretVolume.Contents(await api.For<V1Secret>().TryGetAsync(name, ns, ct).ConfigureAwait(false))
            : ConfigMapVolume.Contents(await api.For<V1ConfigMap>().TryGetAsync(name, ns, ct).ConfigureAwait(false));
    }
}
