using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's configMap and secret volumes for pods run as local processes: before the pod starts, each volume's
/// keys are written as files into a folder beside the pod's logs (every key named after itself, or only the listed
/// items at their paths), with defaultMode or the item's mode (0644 when unset). The container's mount path is then
/// rewritten to that folder like every other volume (<see cref="PodVolumes"/>). Both kinds are a name -> bytes map
/// to the projection (<see cref="ConfigMapVolume.Contents"/>, <see cref="SecretVolume.Contents"/>), so they project,
/// fail and are written by the same code.
/// </summary>
/// <remarks>
/// A missing object or key of a volume that is not optional holds the pod back with the kubelet's wording
/// (<c>configmap "x" not found</c>, <c>secret "x" references non-existent secret key: k</c>); the kubelet tries again
/// on its next pass, so creating the object later starts the pod. The files are written once: unlike the real
/// kubelet, a running pod does not see later changes to the ConfigMap or Secret.
/// </remarks>
public static class KeyedVolumes
{
    /// <summary>The kubelet's default file mode for projected keys (0644), for ConfigMaps and Secrets alike.</summary>
    public const UnixFileMode DefaultMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Reads the ConfigMaps and Secrets of the pod's volumes and writes their files; returns null when every one is
    /// written, or why one cannot be (the kubelet's MountVolume.SetUp message, naming the volume, object and key).
    /// </summary>
    public static async Task<string?> WriteAllAsync(KubeApiClient api, V1Pod pod, string podDirectory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (KeyedVolumeSource.Of(volume) is not { } source)
            {
                continue;
            }
            var contents = await ReadAsync(api, source, pod.Metadata?.Namespace, ct).ConfigureAwait(false);
            var (files, error) = Project(source, contents);
            if (error is not null)
            {
                return error;
            }
            await WriteAsync(PodVolumes.FolderOf(podDirectory, volume.Name), files, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>The files a volume holds, given its object's keys as read (null when the object is absent); or the error. Pure.</summary>
    public static (IReadOnlyList<ProjectedFile> Files, string? Error) Project(KeyedVolumeSource source, IReadOnlyDictionary<string, byte[]>? contents)
    {
        ArgumentNullException.ThrowIfNull(source);
        string Failed(string why) => $"MountVolume.SetUp failed for volume \"{source.VolumeName}\" : {why}";
        if (contents is null)
        {
            return source.Optional ? ([], null) : ([], Failed($"{source.Kind} \"{source.ObjectName}\" not found"));
        }
        var defaultMode = source.DefaultMode is { } mode ? ModeOf(mode) : DefaultMode;
        if (source.Items is not { Count: > 0 } items)
        {
            return (contents.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ProjectedFile(c.Key, c.Value, defaultMode)).ToList(), null);
        }
        var files = new List<ProjectedFile>();
        foreach (var item in items)
        {
            if (!contents.TryGetValue(item.Key, out var content))
            {
                if (source.Optional)
                {
                    continue;
                }
                return ([], Failed($"{source.Kind} \"{source.ObjectName}\" references non-existent {source.KeyNoun}: {item.Key}"));
            }
            if (!IsSafeRelativePath(item.Path))
            {
                return ([], Failed($"items path \"{item.Path}\" of key {item.Key} must be relative and must not contain '..'"));
            }
            files.Add(new ProjectedFile(item.Path, content, item.Mode is { } itemMode ? ModeOf(itemMode) : defaultMode));
        }
        return (files, null);
    }

    private static Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(KubeApiClient api, KeyedVolumeSource source, string? ns, CancellationToken ct) =>
        KeyedObjects.ReadAsync(api, source.Kind, source.ObjectName, ns, ct);

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
