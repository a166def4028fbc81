using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>
/// The garbage collector and namespace controller in one level-based loop. Each pass re-reads the store:
/// dependents whose owners are all gone are deleted (background propagation); owners deleting in the
/// foreground lose their finalizer once no dependent is left; orphaning owners release their dependents;
/// terminating namespaces are emptied and then removed; custom resources of a deleted CRD are removed.
/// </summary>
public sealed class GarbageCollector
{
    private readonly ResourceService _service;
    private readonly ChangeSignal _signal;

    public GarbageCollector(ResourceService service, ChangeSignal signal)
    {
        _service = service;
        _signal = signal;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            // Passes repeat until nothing changes: each deletion can orphan the next level of dependents.
            for (var pass = 0; pass < 100 && await PassAsync(ct).ConfigureAwait(false); pass++)
            {
            }
        }
    }

    /// <summary>One sweep; true when it changed something.</summary>
    public async Task<bool> PassAsync(CancellationToken ct)
    {
        var snapshot = _service.Store.Snapshot;
        var objects = snapshot.Resources.SelectMany(r => r.Value.Values.Select(o => (Resource: r.Key, Stored: o, Obj: o.Parse()))).ToList();
        var byUid = objects.ToDictionary(o => JsonTree.GetString(o.Obj, "metadata.uid") ?? "", o => o.Obj);
        var changed = false;
        foreach (var (resource, stored, obj) in objects)
        {
            var type = _service.Registry.FindByStorageKey(resource);
            if (type is null)
            {
                await _service.Store.CommitAsync(resource, stored.Namespace, stored.Name, _ => null, false, ct).ConfigureAwait(false);
                changed = true;
                continue;
            }
            changed |= await CollectAsync(type, stored, obj, byUid, objects.Select(o => o.Obj), ct).ConfigureAwait(false);
        }
        return changed;
    }

    private async Task<bool> CollectAsync(ResourceType type, StoredObject stored, JsonObject obj, Dictionary<string, JsonObject> byUid, IEnumerable<JsonObject> all, CancellationToken ct)
    {
        var uid = JsonTree.GetString(obj, "metadata.uid") ?? "";
        var deleting = JsonTree.Get(obj, "metadata.deletionTimestamp") is not null;
        var finalizers = (JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        if (deleting && finalizers.Contains(Finalizers.Orphan))
        {
            foreach (var dependent in all.Where(d => OwnerUids(d).Contains(uid)))
            {
                await ReleaseAsync(dependent, uid, ct).ConfigureAwait(false);
            }
            return await RemoveFinalizerAsync(type, stored, Finalizers.Orphan, ct).ConfigureAwait(false);
        }
        if (deleting && finalizers.Contains(Finalizers.Foreground) && !all.Any(d => OwnerUids(d).Contains(uid)))
        {
            return await RemoveFinalizerAsync(type, stored, Finalizers.Foreground, ct).ConfigureAwait(false);
        }
        if (deleting && finalizers.Contains(Finalizers.CustomResourceCleanup) && Admission.IsCrd(type))
        {
            var served = $"{JsonTree.GetString(obj, "spec.group")}/{JsonTree.GetString(obj, "spec.names.plural")}";
            foreach (var cr in _service.Store.Snapshot.Of(served).Values)
            {
                await _service.Store.CommitAsync(served, cr.Namespace, cr.Name, _ => null, false, ct).ConfigureAwait(false);
            }
            return await RemoveFinalizerAsync(type, stored, Finalizers.CustomResourceCleanup, ct).ConfigureAwait(false);
        }
        if (type.Kind == "Namespace" && deleting)
        {
            return await EmptyNamespaceAsync(type, stored, ct).ConfigureAwait(false);
        }
        var owners = OwnerUids(obj);
        var ownerGoneOrForeground = owners.Count > 0 && owners.All(o => !byUid.TryGetValue(o, out var owner) || IsForegroundDeleting(owner));
        if (ownerGoneOrForeground && !deleting)
        {
            return await TryAsync(_service.DeleteAsync(type, stored.Namespace, stored.Name, new DeleteOptions("Background"), ct)).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>
    /// The namespace controller: a terminating namespace whose spec finalizers hold `kubernetes` is emptied, then that
    /// finalizer is removed through the finalize subresource. Other spec finalizers are left to whoever put them there.
    /// </summary>
    private async Task<bool> EmptyNamespaceAsync(ResourceType namespaceType, StoredObject ns, CancellationToken ct)
    {
        if (!NamespaceRules.HasKubernetesFinalizer(ns.Parse()))
        {
            return false;
        }
        var remaining = false;
        var progressed = false;
        foreach (var type in _service.Registry.All.Where(t => t.Namespaced).DistinctBy(t => t.StorageKey))
        {
            foreach (var stored in _service.Store.Snapshot.Of(type.StorageKey).Values.Where(o => o.Namespace == ns.Name))
            {
                remaining = true;
                if (JsonTree.Get(stored.Parse(), "metadata.deletionTimestamp") is null)
                {
                    progressed |= await TryAsync(_service.DeleteAsync(type, stored.Namespace, stored.Name, new DeleteOptions("Background"), ct)).ConfigureAwait(false);
                }
            }
        }
        if (remaining)
        {
            return progressed;
        }
        return await TryAsync(_service.ChangeAsync(namespaceType, "", ns.Name, "finalize", Api.WriteOptions.Default with { FieldManager = "namespace-controller" }, current =>
        {
            var obj = current.Parse();
            var left = (JsonTree.Get(obj, "spec.finalizers") as JsonArray ?? []).Where(f => JsonTree.ScalarText(f) != NamespaceRules.KubernetesFinalizer);
            JsonTree.Set(obj, "spec.finalizers", new JsonArray(left.Select(f => f?.DeepClone()).ToArray()));
            return obj;
        }, ct)).ConfigureAwait(false);
    }

    private Task<bool> RemoveFinalizerAsync(ResourceType type, StoredObject stored, string finalizer, CancellationToken ct) =>
        TryAsync(_service.ChangeAsync(type, stored.Namespace, stored.Name, null, Api.WriteOptions.Default with { FieldManager = "garbage-collector" }, current =>
        {
            var obj = current.Parse();
            var list = JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? [];
            JsonTree.Metadata(obj)["finalizers"] = new JsonArray(list.Where(f => f?.GetValue<string>() != finalizer).Select(f => f?.DeepClone()).ToArray());
            return obj;
        }, ct));

    private async Task ReleaseAsync(JsonObject dependent, string ownerUid, CancellationToken ct)
    {
        var type = _service.Registry.FindByKind(JsonTree.GetString(dependent, "apiVersion") ?? "", JsonTree.GetString(dependent, "kind") ?? "");
        if (type is null)
        {
            return;
        }
        await TryAsync(_service.ChangeAsync(type, JsonTree.GetString(dependent, "metadata.namespace") ?? "", JsonTree.GetString(dependent, "metadata.name") ?? "", null,
            Api.WriteOptions.Default with { FieldManager = "garbage-collector" }, current =>
            {
                var obj = current.Parse();
                var refs = JsonTree.Get(obj, "metadata.ownerReferences") as JsonArray ?? [];
                JsonTree.Metadata(obj)["ownerReferences"] = new JsonArray(refs.Where(r => JsonTree.GetString(r, "uid") != ownerUid).Select(r => r?.DeepClone()).ToArray());
                return obj;
            }, ct)).ConfigureAwait(false);
    }

    private static bool IsForegroundDeleting(JsonObject owner) =>
        JsonTree.Get(owner, "metadata.deletionTimestamp") is not null
        && (JsonTree.Get(owner, "metadata.finalizers") as JsonArray ?? []).Any(f => f?.GetValue<string>() == Finalizers.Foreground);

    private static HashSet<string> OwnerUids(JsonObject obj) =>
        (JsonTree.Get(obj, "metadata.ownerReferences") as JsonArray ?? []).Select(r => JsonTree.GetString(r, "uid") ?? "").ToHashSet();

    /// <summary>The collector races with clients; an object that changed or vanished is picked up next pass.</summary>
    private static async Task<bool> TryAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
            return true;
        }
        catch (ApiException)
        {
            return false;
        }
    }
}
