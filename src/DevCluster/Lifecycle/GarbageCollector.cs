using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>
/// The garbage collector and namespace controller in one level-based loop. Each pass re-reads the store:
/// dependents whose owners are all gone or deleting in the foreground are deleted (in the foreground when such an
/// owner waits for them and they have dependents themselves, else in the background); owners deleting in the
/// foreground lose their finalizer once no dependent with blockOwnerDeletion is left; orphaning owners release their dependents;
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

    /// <summary>
    /// How long the collector lets writes gather after a wake-up before it sweeps. Each write of an owned object wakes
    /// it, and a sweep reads the whole store, so a burst (an operator applying children for many models) would
    /// otherwise cost a sweep per write. kube-controller-manager's collector is just as asynchronous.
    /// </summary>
    public static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            await Task.Delay(Gathering, ct).ConfigureAwait(false);
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
        var objects = new List<Entry>();
        foreach (var (resource, stored) in snapshot.Resources)
        {
            // Once per resource, not per object: the registry finds a storage key by a scan of its types.
            var type = _service.Registry.FindByStorageKey(resource);
            objects.AddRange(stored.Values.Select(o => new Entry(resource, type, o, StoredMetadata.Of(o))));
        }
        var byUid = new Dictionary<string, StoredMetadata>(StringComparer.Ordinal);
        foreach (var entry in objects)
        {
            byUid.TryAdd(entry.Metadata.Uid, entry.Metadata);
        }
        var dependents = objects.SelectMany(o => o.Metadata.OwnerUids.Select(owner => (Owner: owner, Dependent: o))).ToLookup(d => d.Owner, d => d.Dependent, StringComparer.Ordinal);
        var changed = false;
        foreach (var entry in objects)
        {
            if (entry.Type is not { } type)
            {
                await _service.Store.CommitAsync(entry.Resource, entry.Stored.Namespace, entry.Stored.Name, _ => null, false, ct).ConfigureAwait(false);
                changed = true;
                continue;
            }
            changed |= await CollectAsync(type, entry, byUid, dependents, ct).ConfigureAwait(false);
        }
        return changed;
    }

    /// <summary>One object of the pass, under its storage key.</summary>
    private sealed record Entry(string Resource, ResourceType? Type, StoredObject Stored, StoredMetadata Metadata);

    private async Task<bool> CollectAsync(ResourceType type, Entry entry, Dictionary<string, StoredMetadata> byUid, ILookup<string, Entry> dependents, CancellationToken ct)
    {
        var (stored, metadata) = (entry.Stored, entry.Metadata);
        var deleting = metadata.Deleting;
        if (deleting && metadata.HasFinalizer(Finalizers.Orphan))
        {
            foreach (var dependent in dependents[metadata.Uid])
            {
                await ReleaseAsync(dependent, metadata.Uid, ct).ConfigureAwait(false);
            }
            return await RemoveFinalizerAsync(type, stored, Finalizers.Orphan, ct).ConfigureAwait(false);
        }
        // Only dependents whose reference to this owner sets blockOwnerDeletion hold a foreground deletion, as in
        // kube-controller-manager; the others are still collected (below) but the owner does not wait for them.
        if (deleting && metadata.HasFinalizer(Finalizers.Foreground) && !dependents[metadata.Uid].Any(d => d.Metadata.BlockingOwnerUids.Contains(metadata.Uid)))
        {
            return await RemoveFinalizerAsync(type, stored, Finalizers.Foreground, ct).ConfigureAwait(false);
        }
        if (deleting && metadata.HasFinalizer(Finalizers.CustomResourceCleanup) && Admission.IsCrd(type))
        {
            var obj = stored.Parse();
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
        var owners = metadata.OwnerUids;
        if (owners.Count == 0 || deleting)
        {
            return false;
        }
        var waiting = owners.Where(o => byUid.TryGetValue(o, out var owner) && IsForegroundDeleting(owner)).ToList();
        if (owners.Any(o => byUid.TryGetValue(o, out var owner) && !IsForegroundDeleting(owner)))
        {
            // Another owner still wants this object, so it stays; the owners waiting for it drop out of its references,
            // or they would keep their foregroundDeletion finalizer for good.
            foreach (var owner in waiting)
            {
                await ReleaseAsync(entry, owner, ct).ConfigureAwait(false);
            }
            return waiting.Count > 0;
        }
        // No owner wants it any more. Under an owner deleting in the foreground, a dependent that has dependents of its
        // own is deleted in the foreground too, so the wait is transitive: a Deployment deleted in the foreground stays
        // until its ReplicaSets, and so their pods, are gone.
        var propagation = waiting.Count > 0 && dependents[metadata.Uid].Any() ? "Foreground" : "Background";
        return await TryAsync(_service.DeleteAsync(type, stored.Namespace, stored.Name, new DeleteOptions(propagation), ct)).ConfigureAwait(false);
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

    private async Task ReleaseAsync(Entry dependent, string ownerUid, CancellationToken ct)
    {
        if (dependent.Type is not { } type)
        {
            return;
        }
        await TryAsync(_service.ChangeAsync(type, dependent.Stored.Namespace, dependent.Stored.Name, null,
            Api.WriteOptions.Default with { FieldManager = "garbage-collector" }, current =>
            {
                var obj = current.Parse();
                var refs = JsonTree.Get(obj, "metadata.ownerReferences") as JsonArray ?? [];
                JsonTree.Metadata(obj)["ownerReferences"] = new JsonArray(refs.Where(r => JsonTree.GetString(r, "uid") != ownerUid).Select(r => r?.DeepClone()).ToArray());
                return obj;
            }, ct)).ConfigureAwait(false);
    }

    private static bool IsForegroundDeleting(StoredMetadata owner) => owner.Deleting && owner.HasFinalizer(Finalizers.Foreground);

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
