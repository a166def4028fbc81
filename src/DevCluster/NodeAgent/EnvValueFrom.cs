using System.Globalization;
using System.Text;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's env <c>valueFrom</c> beyond fieldRef (which <see cref="CommandResolver"/> answers from the pod):
/// configMapKeyRef and secretKeyRef, read through the same code as volumes and envFrom (<see cref="KeyedObjects"/>),
/// and resourceFieldRef, the container's own limits and requests with the kubelet's rounding and defaults.
/// </summary>
/// <remarks>
/// A missing object or key that is not <c>optional</c> holds the pod back with the kubelet's message
/// (<c>configmap "x" not found</c>, <c>couldn't find key k in ConfigMap ns/x</c>), the container waiting in
/// CreateContainerConfigError, and the next pass reads again; an optional one leaves the variable unset. Read once,
/// when the pod starts, as the kubelet resolves env once per container creation.
/// </remarks>
public static class EnvValueFrom
{
    private static readonly ResourceQuantity One = ResourceQuantity.Parse("1");

    /// <summary>Each container's (init containers' too) valueFrom variables by name, fieldRef ones aside; or the first error.</summary>
    /// <param name="allocatable">The node's allocatable resources: the kubelet's limit for a container that sets none.</param>
    public static async Task<(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Env, string? Error)> ReadAsync(
        KubeApiClient api, V1Pod pod, IReadOnlyDictionary<string, ResourceQuantity> allocatable, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata?.Namespace;
        // Read each object once for the whole pod, as the kubelet keeps the ones it has read while building env.
        var objects = new Dictionary<(string Kind, string Name), IReadOnlyDictionary<string, byte[]>?>();
        var byContainer = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var variable in container.Env ?? [])
            {
                var (value, error) = variable.ValueFrom switch
                {
                    { ResourceFieldRef: { } field } => ResourceValue(pod, container, field, allocatable),
                    { ConfigMapKeyRef: { } key } => KeyValue(KeyedVolumeSource.ConfigMapKind, ns, key.Name, key.Key, key.Optional == true,
                        await ReadOnceAsync(KeyedVolumeSource.ConfigMapKind, key.Name).ConfigureAwait(false)),
                    { SecretKeyRef: { } key } => KeyValue(KeyedVolumeSource.SecretKind, ns, key.Name, key.Key, key.Optional == true,
                        await ReadOnceAsync(KeyedVolumeSource.SecretKind, key.Name).ConfigureAwait(false)),
                    _ => (null, null),
                };
                if (error is not null)
                {
                    return (byContainer, error);
                }
                if (value is not null)
                {
                    env[variable.Name] = value;
                }
            }
            byContainer[container.Name] = env;
        }
        return (byContainer, null);

        async Task<IReadOnlyDictionary<string, byte[]>?> ReadOnceAsync(string kind, string? name)
        {
            if (!objects.TryGetValue((kind, name ?? ""), out var contents))
            {
                contents = await KeyedObjects.ReadAsync(api, kind, name, ns, ct).ConfigureAwait(false);
                objects[(kind, name ?? "")] = contents;
            }
            return contents;
        }
    }

    /// <summary>A key of a ConfigMap or Secret as read (null when absent): its value, nothing (optional and missing), or the kubelet's error. Pure.</summary>
    public static (string? Value, string? Error) KeyValue(string kind, string? ns, string? name, string key, bool optional, IReadOnlyDictionary<string, byte[]>? contents)
    {
        if (contents is null)
        {
            return optional ? (null, null) : (null, $"{kind} \"{name}\" not found");
        }
        if (!contents.TryGetValue(key, out var bytes))
        {
            var kindName = kind == KeyedVolumeSource.SecretKind ? "Secret" : "ConfigMap";
            return optional ? (null, null) : (null, $"couldn't find key {key} in {kindName} {ns}/{name}");
        }
        return (Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>
    /// A resourceFieldRef's value, as the kubelet computes it: cpu in whole divisors rounded up (divisor 1 = cores, 1m =
    /// millicores), other resources in whole divisors of bytes rounded up; a limit that is not set is the node's
    /// allocatable, a request that is not set is the limit the container sets (the API server's defaulting) or 0. Pure.
    /// </summary>
    public static (string? Value, string? Error) ResourceValue(V1Pod pod, V1Container container, V1ResourceFieldSelector field, IReadOnlyDictionary<string, ResourceQuantity> allocatable)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(allocatable);
        var target = string.IsNullOrEmpty(field.ContainerName) ? container
            : (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).FirstOrDefault(c => c.Name == field.ContainerName);
        if (target is null)
        {
            return (null, $"resourceFieldRef: container \"{field.ContainerName}\" not found in pod");
        }
        var (kind, resource) = field.Resource.IndexOf('.', StringComparison.Ordinal) is var dot and > 0
            ? (field.Resource[..dot], field.Resource[(dot + 1)..]) : ("", field.Resource);
        var limits = target.Resources?.Limits;
        ResourceQuantity? quantity = kind switch
        {
            "limits" => limits?.TryGetValue(resource, out var limit) == true ? limit : allocatable.TryGetValue(resource, out var node) ? node : new ResourceQuantity(0, QuantityFormat.DecimalSI),
            "requests" => target.Resources?.Requests?.TryGetValue(resource, out var request) == true ? request
                : limits?.TryGetValue(resource, out var asLimit) == true ? asLimit : new ResourceQuantity(0, QuantityFormat.DecimalSI),
            _ => null,
        };
        if (quantity is not { } value || resource is not ("cpu" or "memory" or "ephemeral-storage") && !resource.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            return (null, $"unsupported container resource : {field.Resource}");
        }
        var divisor = field.Divisor is { Value: > 0 } d ? d : One;
        var result = resource == "cpu"
            ? Math.Ceiling(Math.Ceiling(value.Value * 1000) / Math.Ceiling(divisor.Value * 1000))
            : Math.Ceiling(Math.Ceiling(value.Value) / Math.Ceiling(divisor.Value));
        return (result.ToString("0", CultureInfo.InvariantCulture), null);
    }
}
