using System.Text;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A configMap volume as the kubelet projects it (see <see cref="KeyedVolumes"/>, which reads, projects and writes
/// configMap and secret volumes alike): the keys of data (UTF-8) and binaryData.
/// </summary>
public static class ConfigMapVolume
{
    /// <summary>The files a configMap volume holds, given the ConfigMap as read (null when absent); or the error. Pure.</summary>
    public static (IReadOnlyList<ProjectedFile> Files, string? Error) Project(string volumeName, V1ConfigMapVolumeSource source, V1ConfigMap? configMap) =>
        KeyedVolumes.Project(KeyedVolumeSource.Of(volumeName, source), Contents(configMap));

    /// <summary>Every key of the ConfigMap with its bytes; null when the ConfigMap is absent.</summary>
    public static IReadOnlyDictionary<string, byte[]>? Contents(V1ConfigMap? configMap)
    {
        if (configMap is null)
        {
            return null;
        }
        // The API server refuses a key in both maps, so neither can shadow the other here.
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, text) in configMap.Data ?? new Dictionary<string, string>())
        {
            contents[key] = Encoding.UTF8.GetBytes(text);
        }
        foreach (var (key, bytes) in configMap.BinaryData ?? new Dictionary<string, byte[]>())
        {
            contents[key] = bytes;
        }
        return contents;
    }
}
