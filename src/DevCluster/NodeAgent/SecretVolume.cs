using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A secret volume as the kubelet projects it (see <see cref="KeyedVolumes"/>, which reads, projects and writes
/// configMap and secret volumes alike): the keys of data, decoded from base64 as the client reads them. stringData is
/// write-only; the API server folds it into data on write (<c>BuiltInDefaults</c>), so a Secret read back has none.
/// </summary>
public static class SecretVolume
{
    /// <summary>The files a secret volume holds, given the Secret as read (null when absent); or the error. Pure.</summary>
    public static (IReadOnlyList<ProjectedFile> Files, string? Error) Project(string volumeName, V1SecretVolumeSource source, V1Secret? secret) =>
        KeyedVolumes.Project(KeyedVolumeSource.Of(volumeName, source), Contents(secret));

    /// <summary>Every key of the Secret with its bytes; null when the Secret is absent.</summary>
    public static IReadOnlyDictionary<string, byte[]>? Contents(V1Secret? secret) =>
        secret is null ? null : new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
}
