using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>
/// What kube-controller-manager puts in every namespace: the serviceaccounts controller's <c>default</c> ServiceAccount
/// and the root-ca-cert-publisher's <c>kube-root-ca.crt</c> ConfigMap (key <c>ca.crt</c>, the API server's CA; none on a
/// plain-HTTP server, which has no CA). Level-based: each pass puts back what is missing or changed in every namespace
/// that is not terminating.
/// </summary>
/// <remarks>
/// The real controllers are asynchronous, so a pod created right after its namespace can be refused by the
/// ServiceAccount admission plugin until the account appears. Here <see cref="ResourceService.CreateAsync"/> calls
/// <see cref="EnsureAsync"/> for a new namespace before it answers, so a namespace create followed by a pod create is
/// deterministic; this loop covers the namespaces that exist at start-up and puts back what is later deleted or edited.
/// </remarks>
public sealed class NamespaceDefaults(ResourceService service, string? caPem)
{
    public const string ServiceAccountName = "default";
    public const string RootCaConfigMapName = "kube-root-ca.crt";
    public const string RootCaKey = "ca.crt";
    private const string Manager = "kube-controller-manager";

    private const string RootCaDescription = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal "
        + "service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly ChangeSignal _signal = new();

    /// <summary>Whether a committed object is one this controller watches: a namespace, or one of the objects it owns.</summary>
    public static bool Watches(ResourceType type, string name) => !type.IsCustom && type.Group.Length == 0 && (type.Kind == "Namespace"
        || (type.Kind == "ServiceAccount" && name == ServiceAccountName) || (type.Kind == "ConfigMap" && name == RootCaConfigMapName));

    public void Raise() => _signal.Raise();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            await EnsureAllAsync(ct).ConfigureAwait(false);
        }
    }

    public async Task EnsureAllAsync(CancellationToken ct)
    {
        foreach (var ns in service.Store.Snapshot.Of("/namespaces").Values)
        {
            await EnsureAsync(ns.Name, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Creates or restores both objects in <paramref name="ns"/>; nothing while it terminates or once it is gone.</summary>
    public async Task EnsureAsync(string ns, CancellationToken ct)
    {
        if (service.Store.Get("/namespaces", "", ns) is not { } namespaceObject || JsonTree.Get(namespaceObject.Parse(), "metadata.deletionTimestamp") is not null)
        {
            return;
        }
        var options = WriteOptions.Default with { FieldManager = Manager };
        var accounts = service.Registry.Find("", "v1", "serviceaccounts")!;
        if (service.Store.Get(accounts.StorageKey, ns, ServiceAccountName) is null)
        {
            await CreateAsync(accounts, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ServiceAccountName } }, options, ct).ConfigureAwait(false);
        }
        if (caPem is null)
        {
            return;
        }
        var configMaps = service.Registry.Find("", "v1", "configmaps")!;
        if (service.Store.Get(configMaps.StorageKey, ns, RootCaConfigMapName) is not { } current)
        {
            await CreateAsync(configMaps, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = RootCaConfigMapName, ["annotations"] = new JsonObject { ["kubernetes.io/description"] = RootCaDescription },
                },
                ["data"] = new JsonObject { [RootCaKey] = caPem },
            }, options, ct).ConfigureAwait(false);
        }
        else if (!HoldsCa(current.Parse(), caPem))
        {
            // The publisher's update: the data is put back, the rest of the object (labels, other annotations) left as it is.
            await service.ChangeAsync(configMaps, ns, RootCaConfigMapName, null, options, stored =>
            {
                var obj = stored.Parse();
                obj["data"] = new JsonObject { [RootCaKey] = caPem };
                obj.Remove("binaryData");
                return obj;
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether the ConfigMap's <c>ca.crt</c> is the CA. Read by key, not by dotted path: the key has a dot in it. Put back
    /// when it is not; a write that changes nothing still signals this loop, so a check that never holds would make it spin.
    /// </summary>
    public static bool HoldsCa(JsonObject configMap, string caPem)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        return configMap["data"] is JsonObject data && data[RootCaKey] is JsonValue value && value.TryGetValue<string>(out var pem) && pem == caPem;
    }

    private async Task CreateAsync(ResourceType type, string ns, JsonObject body, WriteOptions options, CancellationToken ct)
    {
        try
        {
            await service.CreateAsync(type, ns, body, options, ct).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 409 or 403 or 404)
        {
            // Created by someone else meanwhile, or the namespace began terminating or went away: nothing to do.
        }
    }
}
