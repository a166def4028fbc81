using System.Text.Json.Nodes;
using RecOperator.DevCluster.Patching;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// Server-side apply (`application/apply-patch+yaml`): the manager's applied configuration is merged into the
/// live object; fields it applied before and no longer sends are removed unless another manager owns them;
/// a field another manager owns with a different value is a 409 conflict unless `force=true`.
/// Associative lists (list-type map) merge element by element; other lists are owned atomically.
/// </summary>
public sealed class ServerSideApply
{
    private readonly ResourceService _service;
    private readonly TimeProvider _time;

    public ServerSideApply(ResourceService service, TimeProvider time)
    {
        _service = service;
        _time = time;
    }

    /// <param name="authorizeCreate">Throws when the caller may patch but not create: called only when the apply would create the object.</param>
    public async Task<(JsonObject Object, bool Created)> ApplyAsync(ResourceType type, string ns, string name, string? subresource, JsonObject applied, WriteOptions options,
        Action authorizeCreate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authorizeCreate);
        var manager = options.FieldManager ?? throw ApiErrors.BadRequest("PATCH, application/apply-patch+yaml requires the fieldManager query parameter");
        if (JsonTree.GetString(applied, "apiVersion") is null || JsonTree.GetString(applied, "kind") is null)
        {
            throw ApiErrors.BadRequest("apiVersion and kind must be set in an applied configuration");
        }
        Admission.CheckIdentity(type, ns, name, applied, options);
        FieldSet.FillKeyDefaults(applied, ListMapKeys.For(type));
        JsonTree.Metadata(applied)["name"] = name;
        var applyOptions = options with { IsApply = true };
        if (_service.Store.Get(type.StorageKey, ResourceService.Scope(type, ns), name) is null && subresource is null)
        {
            authorizeCreate();
            var fresh = JsonTree.Clone(applied);
            var leaves = FieldSet.Leaves(fresh, statusOnly: false, ListMapKeys.For(type));
            ManagedFields.Write(fresh, [new ManagedFields(manager, "Apply", type.ApiVersion, Now(), null, leaves)]);
            try
            {
                return (await _service.CreateAsync(type, ns, fresh, applyOptions, ct).ConfigureAwait(false), true);
            }
            catch (ApiException e) when (e.Reason == "AlreadyExists")
            {
                // Created by someone else in between: fall through to apply onto it.
            }
        }
        return (await _service.ChangeAsync(type, ns, name, subresource, applyOptions,
            current => Merge(type, name, current.Parse(), applied, manager, subresource, options.Force), ct).ConfigureAwait(false), false);
    }

    private JsonObject Merge(ResourceType type, string name, JsonObject live, JsonObject applied, string manager, string? subresource, bool force)
    {
        // A resourceVersion in the applied configuration is a precondition, as on any other write: a stale one
        // must not be merged over changes the manager has not seen.
        if (JsonTree.GetString(applied, "metadata.resourceVersion") is { Length: > 0 } sent && sent != JsonTree.GetString(live, "metadata.resourceVersion"))
        {
            throw ApiErrors.Modified(type, name);
        }
        var statusOnly = subresource == "status";
        var appliedFields = FieldSet.Leaves(applied, statusOnly, ListMapKeys.For(type));
        var entries = ManagedFields.Read(live);
        var conflicts = new List<ApplyConflictError.Conflict>();
        foreach (var other in entries.Where(e => !(e.Manager == manager && e.Operation == "Apply")))
        {
            foreach (var path in other.Fields.Intersect(appliedFields))
            {
                if (!FieldSet.Agrees(FieldSet.ValueAt(live, path), FieldSet.ValueAt(applied, path)))
                {
                    conflicts.Add(new ApplyConflictError.Conflict(other, path));
                }
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            throw ApplyConflictError.Of(conflicts);
        }
        foreach (var (owner, path) in conflicts)
        {
            entries.Where(e => e.Manager == owner.Manager).ToList().ForEach(e => e.Fields.Remove(path));
        }
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && e.Subresource == subresource);
        var result = JsonTree.Clone(live);
        if (mine is not null)
        {
            var ownedByOthers = entries.Where(e => e != mine).SelectMany(e => e.Fields).ToHashSet();
            // A dropped map that still holds fields another manager owns (or this apply sets) stays: only what nobody
            // owns any more goes, so dropping `annotations: {}` cannot take another manager's annotations with it.
            var kept = ownedByOthers.Concat(appliedFields).ToList();
            foreach (var dropped in mine.Fields.Except(appliedFields).Where(p => !ownedByOthers.Contains(p) && !kept.Any(k => FieldSet.IsBelow(k, p))))
            {
                FieldSet.RemoveAt(result, dropped);
            }
            entries.Remove(mine);
        }
        foreach (var path in appliedFields)
        {
            var value = FieldSet.ValueAt(applied, path);
            // An applied empty map only makes sure the map exists: the fields other managers set in the live one stay
            // (this manager's own that it no longer applies were removed above).
            if (!(value is JsonObject { Count: 0 } && FieldSet.ValueAt(result, path) is JsonObject))
            {
                FieldSet.SetAt(result, path, value);
            }
        }
        // Stored as it will be (no empty metadata maps), or an applied `labels: {}` would look like a change every time.
        ObjectRules.OmitEmptyMetadata(result);
        // A no-op apply (same fields owned, same object) keeps its timestamp, as the real server does: otherwise an
        // apply in the next second would rewrite the object and bump its resourceVersion for nothing.
        var unchanged = mine is not null && mine.Fields.SetEquals(appliedFields) && conflicts.Count == 0 && SameBesidesManagedFields(live, result);
        entries.Add(new ManagedFields(manager, "Apply", type.ApiVersion, unchanged ? mine!.Time : Now(), subresource, appliedFields));
        ManagedFields.Write(result, entries);
        return result;
    }

    private static bool SameBesidesManagedFields(JsonObject live, JsonObject result)
    {
        var a = JsonTree.Clone(live);
        var b = JsonTree.Clone(result);
        JsonTree.Metadata(a).Remove("managedFields");
        JsonTree.Metadata(b).Remove("managedFields");
        return JsonNode.DeepEquals(a, b);
    }

    private string Now() => ObjectRules.Timestamp(_time.GetUtcNow());
}
