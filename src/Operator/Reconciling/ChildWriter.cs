using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Writes a model's children with server-side apply under the operator's field manager and deletes the ones it no
/// longer wants. Apply sends only the fields the operator sets, so a label or annotation another manager adds is
/// left alone; force takes back the fields the operator owns if someone else changed them.
/// </summary>
public sealed class ChildWriter(KubeApiClient client)
{
    public const string FieldManager = "recoperator";

    // Past this many remembered writes the memory starts over (children of deleted models are never forgotten
    // otherwise); what is forgotten costs at most one "Updated" report for a repeat apply on a lagging cache.
    private const int MaxRemembered = 50_000;

    /// <summary>What the server answered to the last apply of each object: (kind, namespace, name) to (uid, resourceVersion).</summary>
    private readonly ConcurrentDictionary<(string Kind, string Namespace, string Name), (string? Uid, string? Version)> _lastApplied = new();

    /// <summary>
    /// Applies a typed object, unless <paramref name="existing"/> (read just before, from the API server or a cache)
    /// already holds it (<see cref="AppliedIntent"/>); returns what the server stored and whether the apply changed it.
    /// </summary>
    public async Task<(T Applied, ChildChange Change)> ApplyAsync<T>(T desired, T? existing, CancellationToken cancellationToken)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(desired);
        var metadata = desired.Metadata ?? throw new ArgumentException("the object has no metadata", nameof(desired));
        var intent = AppliedIntent.Stamp(JsonSerializer.SerializeToNode(desired, client.TypeInfo<T>())!.AsObject());
        if (existing is not null && AppliedIntent.IsHeldBy(intent, JsonSerializer.SerializeToNode(existing, client.TypeInfo<T>()) as JsonObject))
        {
            return (existing, ChildChange.Unchanged);
        }

        var applied = await client.For<T>().PatchAsync(metadata.Name!, KubePatch.Apply(intent, FieldManager, force: true), metadata.Namespace, cancellationToken).ConfigureAwait(false);
        var key = (T.Descriptor.Kind, metadata.Namespace ?? "", metadata.Name!);
        return (applied, ChangeOf(key, existing?.Metadata?.ResourceVersion, applied.Metadata?.Uid, applied.Metadata?.ResourceVersion));
    }

    /// <summary>Applies a plain object (a kind outside the generated types, such as HTTPRoute), unless <paramref name="existing"/> holds it.</summary>
    public async Task<ChildChange> ApplyAsync(ResourceDescriptor descriptor, JsonObject desired, JsonObject? existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var name = (string?)desired["metadata"]?["name"] ?? throw new ArgumentException("the object has no metadata.name", nameof(desired));
        var ns = (string?)desired["metadata"]?["namespace"];
        var intent = AppliedIntent.Stamp(desired);
        if (AppliedIntent.IsHeldBy(intent, existing))
        {
            return ChildChange.Unchanged;
        }

        var applied = await client.Unstructured(descriptor).PatchAsync(name, KubePatch.Apply(intent, FieldManager, force: true), ns, cancellationToken).ConfigureAwait(false);
        return ChangeOf((descriptor.Kind, ns ?? "", name), (string?)existing?["metadata"]?["resourceVersion"],
            (string?)applied["metadata"]?["uid"], (string?)applied["metadata"]?["resourceVersion"]);
    }

    /// <summary>Deletes the object unless it was replaced meanwhile (the uid precondition); gone already is fine.</summary>
    public async Task<bool> DeleteAsync<T>(ResourceClient<T> resources, string name, string ns, string uid, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(resources);
        try
        {
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid }, PropagationPolicy = "Background" };
            await resources.DeleteAsync(name, ns, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// What an apply did, from the version read before it and the server's answer. The read may be a cached copy that
    /// lags this writer's own last apply (or has not seen the object yet): an answer identical to that last one (same
    /// uid and resourceVersion) means the object did not change since, so it is reported unchanged, not updated or
    /// created again.
    /// </summary>
    private ChildChange ChangeOf((string, string, string) key, string? before, string? uid, string? after)
    {
        (string? Uid, string? Version)? last = _lastApplied.TryGetValue(key, out var remembered) ? remembered : null;
        if (_lastApplied.Count >= MaxRemembered)
        {
            _lastApplied.Clear();
        }

        _lastApplied[key] = (uid, after);
        if ((before is not null && before == after) || (last is { } l && l.Uid == uid && l.Version == after))
        {
            return ChildChange.Unchanged;
        }

        return before is null && (last is null || last.Value.Uid != uid) ? ChildChange.Created : ChildChange.Updated;
    }
}
