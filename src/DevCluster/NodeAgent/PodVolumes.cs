using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Volumes of a pod run as processes. There is no mount namespace, so an emptyDir becomes a folder beside the pod's
/// logs, and a container's mount path is mapped to it: values in env and args that name the mount path are rewritten
/// to the folder (the inference pod's cache, for example). A configMap or secret volume is such a folder too, holding
/// the files the kubelet wrote before the pod started (<see cref="KeyedVolumes"/>). Host-backed kinds (hostPath) map
/// to their own path; a mount's subPath maps to that path inside the volume. Other kinds are not supported here and
/// the container gets CreateContainerConfigError naming the volume.
/// </summary>
public static class PodVolumes
{
    /// <summary>The folder beside the pod's logs that stands in for one of its volumes (emptyDir, configMap and secret alike).</summary>
    public static string FolderOf(string podDirectory, string volumeName) => Path.Combine(podDirectory, "volumes", volumeName);

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
            string root;
            if (volume.EmptyDir is not null)
            {
                root = FolderOf(podDirectory, volume.Name);
                Directory.CreateDirectory(root);
            }
            else if (volume.ConfigMap is not null || volume.Secret is not null)
            {
                root = FolderOf(podDirectory, volume.Name);
            }
            else if (volume.HostPath is not null)
            {
                root = volume.HostPath.Path;
            }
            else
            {
                return (paths, $"volume {volume.Name}: only emptyDir, configMap, secret and hostPath volumes run on the DevCluster node agent");
            }
            if (mount.SubPath is { Length: > 0 } subPath)
            {
                if (Path.IsPathRooted(subPath) || subPath.Split('/').Contains(".."))
                {
                    return (paths, $"volumeMounts {mount.Name}: subPath \"{subPath}\" must be a relative path without '..'");
                }
                root = Path.Combine(root, subPath);
            }
            paths[mount.MountPath] = root;
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
