using System.Text;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's envFrom for pods run as local processes: every key of each ConfigMap or Secret a container names
/// (with the source's prefix) becomes a variable, later sources winning over earlier ones; the container's own env,
/// applied after (<see cref="CommandResolver"/>), wins over them all and may reference them. A missing object that is
/// not optional holds the pod back with the kubelet's wording (<c>secret "x" not found</c>, the container waiting in
/// CreateContainerConfigError); the next pass reads again, so creating the object later starts the pod.
/// </summary>
/// <remarks>
/// Read once, when the pod starts: as with the real kubelet, a running container does not see later changes. A key
/// that cannot be a variable name (empty, or holding '=') is skipped, as the kubelet skips it.
/// </remarks>
public static class EnvFromSources
{
    /// <summary>Each container's variables from its envFrom (containers without envFrom absent); or the first error.</summary>
    public static async Task<(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Env, string? Error)> ReadAsync(
        KubeApiClient api, V1Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        var byContainer = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            if (container.EnvFrom is not { Count: > 0 } sources)
            {
                continue;
            }
            var contents = new List<IReadOnlyDictionary<string, byte[]>?>();
            foreach (var source in sources)
            {
                contents.Add(await ReadAsync(api, source, pod.Metadata?.Namespace, ct).ConfigureAwait(false));
            }
            var (env, error) = Resolve([.. sources], contents);
            if (error is not null)
            {
                return (byContainer, error);
            }
            byContainer[container.Name] = env;
        }
        return (byContainer, null);
    }

    /// <summary>The variables of a container's envFrom, given each source's object as read (null when absent); or the error. Pure.</summary>
    public static (IReadOnlyDictionary<string, string> Env, string? Error) Resolve(
        IReadOnlyList<V1EnvFromSource> sources, IReadOnlyList<IReadOnlyDictionary<string, byte[]>?> contents)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(contents);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var (kind, name, optional) = Describe(sources[i]);
            if (contents[i] is not { } keys)
            {
                if (optional)
                {
                    continue;
                }
                return (env, $"{kind} \"{name}\" not found");
            }
            foreach (var (key, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var variable = sources[i].Prefix + key;
                if (variable.Length > 0 && !variable.Contains('=', StringComparison.Ordinal))
                {
                    env[variable] = Encoding.UTF8.GetString(value);
                }
            }
        }
        return (env, null);
    }

    private static (string Kind, string Name, bool Optional) Describe(V1EnvFromSource source) => source switch
    {
        { SecretRef: { } secret } => (KeyedVolumeSource.SecretKind, secret.Name ?? "", secret.Optional == true),
        { ConfigMapRef: { } configMap } => (KeyedVolumeSource.ConfigMapKind, configMap.Name ?? "", configMap.Optional == true),
        // The API server refuses an envFrom entry without either; nothing to read.
        _ => (KeyedVolumeSource.ConfigMapKind, "", true),
    };

    private static Task<IReadOnlyDictionary<string, byte[]>?> ReadAsync(KubeApiClient api, V1EnvFromSource source, string? ns, CancellationToken ct)
    {
        var (kind, name, _) = Describe(source);
        return KeyedObjects.ReadAsync(api, kind, name, ns, ct);
    }
}
