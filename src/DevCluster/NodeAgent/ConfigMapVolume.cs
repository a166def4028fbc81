using System.Text;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's configMap volumes for pods run as local processes: before the pod starts, each volume's keys are
/// written as files into a folder beside the pod's logs (every key of data and binaryData named after the key, or
/// only the listed items at their paths), with defaultMode or the item's mode (0644 when unset). The container's
/// mount path is then rewritten to that folder like every other volume (<see cref="PodVolumes"/>).
/// </summary>
/// <remarks>
/// A missing ConfigMap or key of a volume that is not optional holds the pod back with the kubelet's wording
/// (<c>configmap "x" not found</c>, <c>... references non-existent config key</c>); the kubelet tries again on its
/// next pass, so creating the ConfigMap later starts the pod. The files are written once: unlike the real kubelet,
/// a running pod does not see later changes to the ConfigMap.
/// </remarks>
public static class ConfigMapVolume
{
    /// <summary>The kubelet's default file mode for projected keys (0644).</summary>
    public const UnixFileMode DefaultMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Reads the ConfigMaps of the pod's configMap volumes and writes their files; returns null when every one is
    /// written, or why one cannot be (the kubelet's MountVolume.SetUp message, naming the volume, ConfigMap and key).
    /// </summary>
    public static async Task<string?> WriteAllAsync(KubeApiClient api, V1Pod pod, string podDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (volume.ConfigMap is not { } source)
            {
                continue;
            }
            var configMap = string.IsNullOrEmpty(source.Name)
                ? null
                : await api.For<V1ConfigMap>().TryGetAsync(source.Name, pod.Metadata?.Namespace, ct).ConfigureAwait(false);
            var (files, error) = Project(volume.Name, source, configMap);
            if (error is not null)
            {
                return error;
            }
            await WriteAsync(PodVolumes.FolderOf(podDirectory, volume.Name), files, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>The files a configMap volume holds, given the ConfigMap as read (null when absent); or the error. Pure.</summary>
    public static (IReadOnlyList<ProjectedFile> Files, string? Error) Project(string volumeName, V1ConfigMapVolumeSource source, V1ConfigMap? configMap)
    {
        ArgumentNullException.ThrowIfNull(source);
        string Failed(string why) => $"MountVolume.SetUp failed for volume \"{volumeName}\" : {why}";
        var optional = source.Optional == true;
        if (configMap is null && optional)
        {
            return ([], null);
        }
        if (configMap is null)
        {
            return ([], Failed($"configmap \"{source.Name}\" not found"));
        }
        var defaultMode = source.DefaultMode is { } mode ? ModeOf(mode) : DefaultMode;
        var files = new List<ProjectedFile>();
        if (source.Items is not { Count: > 0 } items)
        {
            files.AddRange(Keys(configMap).Select(key => new ProjectedFile(key, Content(configMap, key)!, defaultMode)));
            return (files, null);
        }
        foreach (var item in items)
        {
            if (Content(configMap, item.Key) is not { } content)
            {
                if (optional)
                {
                    continue;
                }
                return ([], Failed($"configmap \"{source.Name}\" references non-existent config key: {item.Key}"));
            }
            if (!IsSafeRelativePath(item.Path))
            {
                return ([], Failed($"items path \"{item.Path}\" of key {item.Key} must be relative and must not contain '..'"));
            }
            files.Add(new ProjectedFile(item.Path, content, item.Mode is { } itemMode ? ModeOf(itemMode) : defaultMode));
        }
        return (files, null);
    }

    private static IEnumerable<string> Keys(V1ConfigMap configMap) =>
        (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? []).Order(StringComparer.Ordinal);

    private static byte[]? Content(V1ConfigMap configMap, string key) =>
        configMap.Data?.TryGetValue(key, out var text) == true ? Encoding.UTF8.GetBytes(text)
        : configMap.BinaryData?.TryGetValue(key, out var bytes) == true ? bytes
        : null;

    // The API server refuses such paths on create; checked again because the folder must never be left.
    private static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && path.Split('/').All(part => part != "..");

    // Modes arrive as the decimal value of the octal permission bits (0644 -> 420); UnixFileMode uses the same bits.
    private static UnixFileMode ModeOf(int mode) => (UnixFileMode)(mode & 0x1FF);

    // Rewritten from scratch on every attempt: a pod recreated under the same name must not see an older pod's keys.
    private static async Task WriteAsync(string folder, IReadOnlyList<ProjectedFile> files, CancellationToken ct)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, file.Content, ct).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, file.Mode);
            }
        }
    }
}
