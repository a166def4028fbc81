using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// The parts of a stored object's metadata that lists, watches and the garbage collector look at for every object:
/// labels, uid, owners' uids (and those whose ownerReference sets blockOwnerDeletion), whether it is being deleted, finalizers. A stored object never changes, so these are
/// read once per stored version and remembered beside it (dropped with it). Without this every label-selected list
/// and watch event parsed each candidate object, and every collector pass (one after each write of an owned object)
/// parsed the whole store: with 200 RecModels and their children that was most of DevCluster's CPU.
/// </summary>
public sealed record StoredMetadata(
    IReadOnlyDictionary<string, string> Labels, string Uid, IReadOnlyList<string> OwnerUids, IReadOnlyList<string> BlockingOwnerUids, bool Deleting,
    IReadOnlyList<string> Finalizers)
{
    private static readonly ConditionalWeakTable<StoredObject, StoredMetadata> Known = new();

    public static StoredMetadata Of(StoredObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Known.GetValue(stored, static s => Read(s.Parse()));
    }

    public bool HasFinalizer(string finalizer) => Finalizers.Contains(finalizer);

    private static StoredMetadata Read(JsonObject obj)
    {
        var owners = JsonTree.Get(obj, "metadata.ownerReferences") as JsonArray ?? [];
        return new(
            JsonTree.Labels(obj),
            JsonTree.GetString(obj, "metadata.uid") ?? "",
            [.. owners.Select(r => JsonTree.GetString(r, "uid") ?? "").Distinct(StringComparer.Ordinal)],
            [.. owners.Where(r => JsonTree.Get(r, "blockOwnerDeletion") is JsonValue v && v.TryGetValue<bool>(out var block) && block)
                .Select(r => JsonTree.GetString(r, "uid") ?? "").Distinct(StringComparer.Ordinal)],
            JsonTree.Get(obj, "metadata.deletionTimestamp") is not null,
            [.. (JsonTree.Get(obj, "metadata.finalizers") as JsonArray ?? []).Select(f => JsonTree.ScalarText(f) ?? "")]);
    }
}
