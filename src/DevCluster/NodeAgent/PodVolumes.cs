using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Volumes of a pod run as processes. There is no mount namespace, so an emptyDir becomes a folder beside the pod's
/// logs, and a container's mount path is mapped to it: values in env and args that name the mount path are rewritten
/// to the folder (the inference pod's cache, for example). Host-backed kinds (hostPath) map to their own path; other
/// kinds are not supported here and the container gets CreateContainerConfigError naming the volume.
/// </summary>
public static class PodVolumes
{
    /// <summary>Mount path -> local folder for the container's mounts, creating emptyDir folders; or the error.</summary>
    public static (IReadOnlyDictionary<string, string> Paths, string? Error) Map(V1Pod pod, V1Container container, string podDirectory)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var volumes = (pod.Spec?.Volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!volumes.TryGetValue(mount.Name, out var volume))
            {
                return (paths, $"volumeMounts {mount.Name}: the pod has no volume of that name");
            }
            if (volume.EmptyDir is not null)
            {
                var local = Path.Combine(podDirectory, "volumes", volume.Name);
                Directory.CreateDirectory(local);
                paths[mount.MountPath] = local;
            }
            else if (volume.HostPath is not null)
            {
                paths[mount.MountPath] = volume.HostPath.Path;
            }
            else
            {
                return (paths, $"volume {volume.Name}: only emptyDir and hostPath volumes run on the DevCluster node agent");
            }
        }
        return (paths, null);
    }

    /// <summary>The value with a leading mount path replaced by its local folder; other values unchanged.</summary>
    public static string Rewrite(string value, IReadOnlyDictionary<string, string> paths)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(paths);
        // The longest mount path wins, as nested mounts shadow their parents.
        foreach (var (mountPath, local) in paths.OrderByDescending(p => p.Key.Length))
        {
            var root = mountPath.TrimEnd('/');
            if (value == root || value.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return local + value[root.Length..];
            }
        }
        return value;
    }
}
