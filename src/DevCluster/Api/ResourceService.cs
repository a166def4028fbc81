using System.Text.Json.Nodes;
using RecOperator.DevCluster.Lifecycle;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The generic registry: create, update, patch and delete for any served resource, with every rule applied
/// inside the store's atomic commit so checks and writes cannot interleave with another writer.
/// </summary>
public sealed class ResourceService
{
    private readonly ObjectStore _store;
    private readonly ResourceRegistry _registry;
    private readonly ChangeSignal _collector;
    private readonly TimeProvider _time;
    private readonly Admission _admission;

    /// <param name="caPem">The API server's CA certificate, published in every namespace; null on a plain-HTTP server.</param>
    public ResourceService(ObjectStore store, ResourceRegistry registry, ChangeSignal collector, TimeProvider time, string? caPem = null)
    {
        _store = store;
        _registry = registry;
        _collector = collector;
        _time = time;
        _admission = new Admission(store, time);
        NamespaceDefaults = new NamespaceDefaults(this, caPem);
    }

    public ObjectStore Store => _store;
    public ResourceRegistry Registry => _registry;

    /// <summary>Raised after each committed write of a pod, a PodDisruptionBudget or a workload: what the disruption controller counts.</summary>
    public ChangeSignal Disruptions { get; } = new();

    /// <summary>Every namespace's <c>default</c> ServiceAccount and <c>kube-root-ca.crt</c> ConfigMap; raised by writes of what it watches.</summary>
    public NamespaceDefaults NamespaceDefaults { get; }

    public JsonObject Get(ResourceType type, string ns, string name) =>
        Present(type, (_store.Get(type.StorageKey, ns, name) ?? throw ApiErrors.NotFound(type, name)).Parse());

    public async Task<JsonObject> CreateAsync(ResourceType type, string ns, JsonObject body, WriteOptions options, CancellationToken ct)
    {
        var prepared = _admission.ForCreate(type, ns, body, options);
        if (!options.IsApply)
        {
            ManagedFields.RecordUpdate(null, prepared, Manager(options), null, type.ApiVersion, ObjectRules.Timestamp(_time.GetUtcNow()), ListMapKeys.For(type));
        }
        var name = JsonTree.GetString(prepared, "metadata.name")!;
        var stored = await _store.CommitAsync(type.StorageKey, Scope(type, ns), name, current =>
        {
            if (current is not null)
            {
                throw ApiErrors.AlreadyExists(type, name);
            }
            _admission.RequireNamespace(type, ns, name);
            return type.ToStorage(prepared);
        }, options.DryRun, ct).ConfigureAwait(false);
        AfterCommit(type, stored!, deleted: false, options.DryRun);
        if (NamespaceRules.Applies(type) && !options.DryRun)
        {
            // Before the create is answered, so that a pod created next finds its namespace's default ServiceAccount.
            await NamespaceDefaults.EnsureAsync(name, ct).ConfigureAwait(false);
        }
        return Present(type, stored!.Parse());
    }

    /// <summary>PUT: replaces the object (or its status) under optimistic concurrency.</summary>
    public Task<JsonObject> UpdateAsync(ResourceType type, string ns, string name, JsonObject body, string? subresource, WriteOptions options, CancellationToken ct)
    {
        Admission.CheckIdentity(type, ns, name, body, options);
        return ChangeAsync(type, ns, name, subresource, options, current =>
        {
            // The storage layer checks the body's uid (as a precondition) before its resourceVersion.
            ObjectRules.CheckUpdateUid(type, name, body, current.Parse());
            ObjectRules.CheckPrecondition(type, name, body, current.ResourceVersion);
            return JsonTree.Clone(body);
        }, ct);
    }

    /// <summary>
    /// The shared path of update and patch: <paramref name="produce"/> turns the stored object into the
    /// requested one; then identity, status isolation, generation, schema and finalization rules apply.
    /// </summary>
    public async Task<JsonObject> ChangeAsync(ResourceType type, string ns, string name, string? subresource, WriteOptions options,
        Func<StoredObject, JsonObject> produce, CancellationToken ct)
    {
        var deleted = false;
        StoredObject? before = null;
        var stored = await _store.CommitAsync(type.StorageKey, Scope(type, ns), name, current =>
        {
            before = current;
            if (current is null)
            {
                throw ApiErrors.NotFound(type, name);
            }
            // Every rule (and the producer: a PUT body, a patch, an apply) sees the object as this version serves it.
            var old = type.FromStorage(current.Parse());
            var incoming = produce(type.StoredAs is null ? current : current with { Json = JsonTree.ToBytes(old) });
            Admission.CheckIdentity(type, ns, name, incoming, options);
            // A changed uid would be kept from the stored object below; the real server refuses it, before other rules.
            if (ObjectRules.UidChange(old, incoming) is { } uidChange)
            {
                throw ApiErrors.Invalid(type, name, [uidChange]);
            }
            var updated = ObjectRules.PrepareUpdate(type, old, incoming, subresource);
            if (options.IsApply && subresource is not null)
            {
                // A subresource write keeps the stored metadata, but the ownership server-side apply computed for this
                // write is the server's own record: without it the manager owns nothing, so the fields it stops
                // applying are never removed and another manager's different value is never a conflict.
                JsonTree.Metadata(updated)["managedFields"] = JsonTree.Get(incoming, "metadata.managedFields")?.DeepClone();
            }
            // A binding is the server's own write of a pod: like the real one, it leaves no managedFields entry.
            if (!options.IsApply && subresource != "binding" && !options.BelowFieldManager)
            {
                ManagedFields.RecordUpdate(old, updated, Manager(options), subresource, type.ApiVersion, ObjectRules.Timestamp(_time.GetUtcNow()), ListMapKeys.For(type));
            }
            _admission.Validate(type, updated, options, old, subresource);
            deleted = IsFinalized(updated);
            return deleted ? null : type.ToStorage(updated);
        }, options.DryRun, ct).ConfigureAwait(false);
        // A write that changed nothing keeps the stored version and no watch sees it; waking the controllers for it
        // would let one whose pass ends in such a write wake itself forever (the root-ca-cert-publisher once did).
        if (deleted || !ReferenceEquals(stored, before))
        {
            AfterCommit(type, stored!, deleted, options.DryRun);
        }
        return Present(type, stored!.Parse());
    }

    /// <summary>
    /// DELETE. Returns the object and whether it is gone now or only marked with a deletionTimestamp because
    /// finalizers or foreground/orphan propagation keep it.
    /// </summary>
    public async Task<(JsonObject Object, bool Gone)> DeleteAsync(ResourceType type, string ns, string name, DeleteOptions options, CancellationToken ct)
    {
        // Admission (NamespaceLifecycle) refuses this before the object is looked at, dry run or not.
        if (NamespaceRules.Applies(type) && NamespaceRules.IsImmortal(name))
        {
            throw ApiErrors.Forbidden(type, name, "this namespace may not be deleted");
        }
        var gone = false;
        var stored = await _store.CommitAsync(type.StorageKey, Scope(type, ns), name, current =>
        {
            if (current is null)
            {
                throw ApiErrors.NotFound(type, name);
            }
            var obj = current.Parse();
            ObjectRules.CheckPreconditions(type, name, obj, options.PreconditionUid, options.PreconditionResourceVersion);
            var meta = JsonTree.Metadata(obj);
            var finalizers = (meta["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>() ?? "").ToList();
            var grace = PodGracefulDeletion.GracePeriodOf(type, obj, options.GracePeriodSeconds);
            if (meta["deletionTimestamp"] is not null)
            {
                // A second DELETE with grace period 0 is the kubelet (or --force) finishing a graceful pod deletion.
                gone = grace == 0 && finalizers.Count == 0;
                return gone ? null : obj;
            }
            if (grace > 0)
            {
                meta["deletionTimestamp"] = ObjectRules.Timestamp(_time.GetUtcNow().AddSeconds(grace.Value));
                meta["deletionGracePeriodSeconds"] = grace.Value;
                return obj;
            }
            if (options.Propagation is "Foreground" or "Orphan")
            {
                finalizers.Add(options.Propagation == "Foreground" ? Finalizers.Foreground : Finalizers.Orphan);
            }
            var isNamespace = NamespaceRules.Applies(type);
            if (isNamespace)
            {
                JsonTree.Set(obj, "status.phase", "Terminating");
                JsonTree.Set(obj, "spec.finalizers", NamespaceRules.FinalizersForDeletion(obj));
            }
            // A namespace goes at once only when no spec finalizer (the namespace controller's `kubernetes`) holds it either.
            if (finalizers.Count == 0 && (!isNamespace || (JsonTree.Get(obj, "spec.finalizers") as JsonArray ?? []).Count == 0))
            {
                gone = true;
                return null;
            }
            meta["finalizers"] = new JsonArray(finalizers.Distinct().Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
            meta["deletionTimestamp"] = ObjectRules.Timestamp(_time.GetUtcNow());
            meta["deletionGracePeriodSeconds"] = 0;
            if (type.TracksGeneration)
            {
                meta["generation"] = (JsonTree.GetLong(obj, "metadata.generation") ?? 0) + 1;
            }
            return obj;
        }, options.DryRun, ct).ConfigureAwait(false);
        AfterCommit(type, stored!, gone, options.DryRun);
        return (Present(type, stored!.Parse()), gone);
    }

    /// <summary>
    /// A stored object as the client asked for it: converted when the version is a view of another resource's storage
    /// (events.k8s.io Events), and with the apiVersion of the version asked for (a CRD's versions differ only by name here).
    /// Callers use the result: it may be a new object.
    /// </summary>
    public static JsonObject Present(ResourceType type, JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(type);
        var obj = type.FromStorage(stored);
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        return obj;
    }

    private static string Manager(WriteOptions options) => options.FieldManager ?? "unknown";

    public static string Scope(ResourceType type, string ns) => type.Namespaced ? ns : "";

    private static bool IsFinalized(JsonObject obj) =>
        JsonTree.Get(obj, "metadata.deletionTimestamp") is not null && !PodGracefulDeletion.IsStopping(obj)
        && (JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? []).Count == 0
        && (obj["kind"]?.GetValue<string>() != "Namespace" || (JsonTree.Get(obj, "spec.finalizers") as JsonArray ?? []).Count == 0);

    private void AfterCommit(ResourceType type, StoredObject stored, bool deleted, bool dryRun)
    {
        if (dryRun)
        {
            return;
        }
        if (type.Kind == "CustomResourceDefinition" && type.Group == "apiextensions.k8s.io")
        {
            _registry.SyncCrd(stored.Name, () => _store.Get(type.StorageKey, "", stored.Name) is { } now ? CrdResourceFactory.FromCrd(now.Parse()) : null);
        }
        if (deleted || NeedsCollector(stored.Json))
        {
            _collector.Raise();
        }
        if (NamespaceDefaults.Watches(type, stored.Name))
        {
            NamespaceDefaults.Raise();
        }
        if (!type.IsCustom && (type.Kind is "Pod" or "PodDisruptionBudget" || type.Scale is not null))
        {
            Disruptions.Raise();
        }
    }

    /// <summary>
    /// A collector pass re-reads every object, so it is woken only by what it acts on: deletions, objects
    /// being deleted (finalizers, namespaces, CRDs) and objects with owners (whose owner may already be gone).
    /// </summary>
    private static bool NeedsCollector(byte[] json) =>
        json.AsSpan().IndexOf("\"deletionTimestamp\""u8) >= 0 || json.AsSpan().IndexOf("\"ownerReferences\""u8) >= 0;
}
