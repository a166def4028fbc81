using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Which NodePools a change of a node, a pod or a RecModel concerns: the NodePool controller reconciles just those,
/// at once, rather than every pool or only at the periodic pass (the work queue folds repeats of one pool into one
/// reconcile). Only what a pool's status is computed from counts (<see cref="NodePoolSlots"/>): a node's labels,
/// readiness, cordon and allocatable; a pod's node, requests and placement labels while it holds that node; a model's
/// variants (generation). Resyncs wake nothing here: the pool's own periodic pass is the safety net. Pure.
/// </summary>
public static class NodePoolWakeups
{
    /// <summary>The pools selecting the node before or after the change (one it was relabelled out of included).</summary>
    public static IReadOnlyList<string> ForNode(InformerEvent<V1Node> change, IEnumerable<NodePool> pools)
    {
        ArgumentNullException.ThrowIfNull(change);
        var matters = change.Type switch
        {
            InformerEventType.Added or InformerEventType.Deleted => true,
            InformerEventType.Updated => change.Old is null || !SameForPools(change.Old, change.Object),
            _ => false,
        };
        return matters ? Selecting(pools, [change.Old, change.Object]) : [];
    }

    /// <summary>
    /// The pools selecting the node a pod holds or held, when what it holds changed: bound, deleted, finished, or its
    /// requests or placement labels changed. A pod that holds no node (Pending, finished) concerns no pool.
    /// </summary>
    /// <param name="node">The cached node of that name, or null when it is not known (its own Added event will wake the pools).</param>
    public static IReadOnlyList<string> ForPod(InformerEvent<V1Pod> change, Func<string, V1Node?> node, IEnumerable<NodePool> pools)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(node);
        if (change.Type == InformerEventType.Resync)
        {
            return [];
        }

        // A Deleted event carries the last object seen; after it the pod holds nothing.
        var (before, after) = change.Type switch
        {
            InformerEventType.Added => (null, Holding(change.Object)),
            InformerEventType.Deleted => (Holding(change.Object), null),
            _ => (Holding(change.Old), Holding(change.Object)),
        };
        if (before == after)
        {
            return [];
        }

        var nodes = new[] { before?.Node, after?.Node }.OfType<string>().Distinct(StringComparer.Ordinal).Select(node);
        return Selecting(pools, nodes);
    }

    /// <summary>The pools a model's variants list before and after a spec change (or its creation or deletion).</summary>
    public static IReadOnlyList<string> ForModel(InformerEvent<RecModel> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Type == InformerEventType.Resync || !EventFilters.GenerationChanged(change))
        {
            return [];
        }

        return [.. new[] { change.Old, change.Object }.OfType<RecModel>()
            .SelectMany(m => m.Spec?.Variants ?? []).SelectMany(v => v.NodePools).Distinct(StringComparer.Ordinal)];
    }

    private static List<string> Selecting(IEnumerable<NodePool> pools, IEnumerable<V1Node?> nodes)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var known = nodes.OfType<V1Node>().ToList();
        return [.. pools.Where(p => p.Spec is not null && known.Any(n => NodePoolSlots.Matches(p.Spec, n)))
            .Select(p => p.Metadata!.Name!).Distinct(StringComparer.Ordinal)];
    }

    // Heartbeats update nodes every few seconds; only what the slots are computed from counts.
    private static bool SameForPools(V1Node old, V1Node now) =>
        Same(old.Metadata?.Labels, now.Metadata?.Labels, string.Equals)
        && NodePoolSlots.IsReady(old) == NodePoolSlots.IsReady(now)
        && Same(old.Status?.Allocatable, now.Status?.Allocatable, (a, b) => a == b);

    private static bool Same<T>(IDictionary<string, T>? a, IDictionary<string, T>? b, Func<T, T, bool> equal)
    {
        a ??= new Dictionary<string, T>();
        b ??= new Dictionary<string, T>();
        return a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && equal(e.Value, other));
    }

    // What a pod means to the pools of its node; null while it holds none. A record, so two are equal by value.
    private static PodHold? Holding(V1Pod? pod)
    {
        if (pod is null || !PodResources.HoldsNode(pod))
        {
            return null;
        }

        var labels = pod.Metadata?.Labels;
        var requests = string.Join(",", PodResources.Requests(pod).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
        return new PodHold(pod.Spec!.NodeName!, requests, Label(labels, Desired.ChildLabels.Pool), Label(labels, Desired.ChildLabels.ManagedBy));
    }

    private static string? Label(IDictionary<string, string>? labels, string name) =>
        labels is not null && labels.TryGetValue(name, out var value) ? value : null;

    private sealed record PodHold(string Node, string Requests, string? Pool, string? Manager);
}
