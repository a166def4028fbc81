using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Brings one kind of a model's children to the desired set: applies each wanted object and deletes the owned ones
/// that are not wanted any more (a removed variant or pool, a budget no longer needed), except those the caller retains. A wanted name already held by
/// an object the model does not control is left alone and returned as a <see cref="ChildConflict"/>. Returns what
/// changed.
/// </summary>
public sealed class RecModelChildSync(KubeApiClient client, ChildWriter writer, IChildSource children)
{
    public Task<ChildSyncResult<T>> SyncAsync<T>(RecModel model, IReadOnlyList<T> desired, CancellationToken cancellationToken)
        where T : class, IKubernetesResource =>
        SyncAsync(model, desired, null, cancellationToken);

    /// <param name="listed">The model's children of this kind if the caller has just listed them; listed here otherwise.</param>
    /// <param name="retain">Owned children that are not wanted but must not be pruned yet, left as they are (<see cref="PoolDeparture"/>).</param>
    public async Task<ChildSyncResult<T>> SyncAsync<T>(
        RecModel model, IReadOnlyList<T> desired, IReadOnlyList<T>? listed, CancellationToken cancellationToken, IEnumerable<string>? retain = null)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(desired);
        var (_, ns, uid) = Identity(model);
        var resources = client.For<T>();
        var existing = listed ?? await children.ChildrenAsync<T>(model, cancellationToken).ConfigureAwait(false);
        var byName = existing.Where(e => e.Metadata?.Name is not null).ToDictionary(e => e.Metadata!.Name!, StringComparer.Ordinal);
        var applied = new List<T>();
        var changes = new List<string>();
        var conflicts = new List<ChildConflict>();
        foreach (var wanted in desired)
        {
            var current = byName.GetValueOrDefault(wanted.Metadata!.Name!)
                ?? await NamedAsync(resources, ns, wanted.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            if (ChildConflict.Find(T.Descriptor.Kind, current?.Metadata, uid) is { } conflict)
            {
                // Someone else's object under our name (another model's child whose name collides, or anything else):
                // applying would take it over, and the other owner would take it back, without end.
                conflicts.Add(conflict);
                continue;
            }

            var (result, change) = await writer.ApplyAsync(wanted, current, cancellationToken).ConfigureAwait(false);
            applied.Add(result);
            if (change != ChildChange.Unchanged)
            {
                changes.Add($"{change} {T.Descriptor.Kind} {wanted.Metadata.Name}");
            }
        }

        var wantedNames = desired.Select(d => d.Metadata!.Name!).Concat(retain ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in OwnedChildren.Unwanted(existing.Select(e => e.Metadata), uid, wantedNames))
        {
            if (await writer.DeleteAsync(resources, stale.Name!, ns, stale.Uid!, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"Deleted {T.Descriptor.Kind} {stale.Name}");
            }
        }

        return new ChildSyncResult<T>(applied, changes, conflicts);
    }

    internal static (string Name, string Namespace, string Uid) Identity(RecModel model) =>
        (model.Metadata!.Name!, model.Metadata.Namespace ?? "default", model.Metadata.Uid!);

    internal static async Task<List<T>> ListAsync<T>(ResourceClient<T> resources, string ns, string selector, CancellationToken cancellationToken)
        where T : class
    {
        var items = new List<T>();
        await foreach (var item in resources.ListAllAsync(ns, new ListOptions { LabelSelector = selector, Limit = 500 }, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>
    /// The object of this name whatever its labels, read from the API server: the model's own children are found by its
    /// labels, and an object of another owner carries that owner's. A list pinned to the name (which the API server
    /// answers as a single read) rather than a get, so the lookup needs no grant beyond the list the operator has.
    /// </summary>
    internal static async Task<T?> NamedAsync<T>(ResourceClient<T> resources, string ns, string name, CancellationToken cancellationToken)
        where T : class
    {
        var list = await resources.ListAsync(ns, new ListOptions { FieldSelector = $"metadata.name={name}" }, cancellationToken).ConfigureAwait(false);
        return list.Items.FirstOrDefault();
    }
}
