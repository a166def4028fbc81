using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Brings one kind of a model's children to the desired set: applies each wanted object and deletes the owned ones
/// that are not wanted any more (a removed variant or pool, a budget no longer needed). Returns what changed.
/// </summary>
public sealed class RecModelChildSync(KubeApiClient client, ChildWriter writer, IChildSource children)
{
    public Task<ChildSyncResult<T>> SyncAsync<T>(RecModel model, IReadOnlyList<T> desired, CancellationToken cancellationToken)
        where T : class, IKubernetesResource =>
        SyncAsync(model, desired, null, cancellationToken);

    /// <param name="listed">The model's children of this kind if the caller has just listed them; listed here otherwise.</param>
    public async Task<ChildSyncResult<T>> SyncAsync<T>(RecModel model, IReadOnlyList<T> desired, IReadOnlyList<T>? listed, CancellationToken cancellationToken)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(desired);
        var (name, ns, uid) = Identity(model);
        var resources = client.For<T>();
        var existing = listed ?? await children.ChildrenAsync<T>(model, cancellationToken).ConfigureAwait(false);
        var byName = existing.Where(e => e.Metadata?.Name is not null).ToDictionary(e => e.Metadata!.Name!, StringComparer.Ordinal);
        var applied = new List<T>();
        var changes = new List<string>();
        foreach (var wanted in desired)
        {
            var current = byName.GetValueOrDefault(wanted.Metadata!.Name!);
            if (current is not null && !OwnedChildren.IsControlledBy(current.Metadata, uid))
            {
                // Someone else's object under our name: never take it over silently.
                throw new InvalidOperationException($"{T.Descriptor.Kind} {ns}/{wanted.Metadata.Name} exists but is not controlled by RecModel {name}");
            }

            var (result, change) = await writer.ApplyAsync(wanted, current, cancellationToken).ConfigureAwait(false);
            applied.Add(result);
            if (change != ChildChange.Unchanged)
            {
                changes.Add($"{change} {T.Descriptor.Kind} {wanted.Metadata.Name}");
            }
        }

        var wantedNames = desired.Select(d => d.Metadata!.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in OwnedChildren.Unwanted(existing.Select(e => e.Metadata), uid, wantedNames))
        {
            if (await writer.DeleteAsync(resources, stale.Name!, ns, stale.Uid!, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"Deleted {T.Descriptor.Kind} {stale.Name}");
            }
        }

        return new ChildSyncResult<T>(applied, changes);
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
}
