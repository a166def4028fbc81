using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The scheduler's decision as a pure function. Filters as kube-scheduler's default plugins do (node schedulable or
/// its unschedulable taint tolerated, untolerated NoSchedule/NoExecute taints, nodeSelector, free allocatable
/// covering the requests); among fitting nodes it picks the least allocated one (spreading replicas). The failure
/// message has the real scheduler's shape, so operators and tests read the same reasons.
/// </summary>
public static class PodPlacement
{
    public static SchedulingDecision Decide(V1Pod pod, IReadOnlyCollection<V1Node> nodes, IEnumerable<V1Pod> boundPods)
    {
        var requests = PodResources.Requests(pod);
        var used = PodResources.InUseByNode(boundPods);
        var reasons = new List<string>();
        var fitting = new List<(V1Node Node, decimal Score)>();
        foreach (var node in nodes)
        {
            var inUse = used.GetValueOrDefault(node.Metadata?.Name ?? "") ?? new Dictionary<string, decimal>(StringComparer.Ordinal);
            var failures = Failures(pod, node, requests, inUse);
            if (failures.Count == 0)
            {
                fitting.Add((node, Score(node, requests, inUse)));
            }
            reasons.AddRange(failures);
        }
        if (fitting.Count > 0)
        {
            var podsOn = boundPods.Where(PodResources.HoldsNode).GroupBy(p => p.Spec!.NodeName!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            // Requests alone cannot spread pods that request nothing: fewer pods breaks the tie.
            var best = fitting.OrderByDescending(f => f.Score).ThenBy(f => podsOn.GetValueOrDefault(f.Node.Metadata?.Name ?? ""))
                .ThenBy(f => f.Node.Metadata?.Name, StringComparer.Ordinal).First();
            return new SchedulingDecision(best.Node.Metadata!.Name, $"Successfully assigned {pod.Metadata?.Namespace}/{pod.Metadata?.Name} to {best.Node.Metadata.Name}");
        }
        // As kube-scheduler: "COUNT reason" strings, sorted as whole strings.
        var counted = reasons.GroupBy(r => r, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}").Order(StringComparer.Ordinal);
        var summary = nodes.Count == 0 ? "no nodes available to schedule pods" : $"0/{nodes.Count} nodes are available: {string.Join(", ", counted)}.";
        return new SchedulingDecision(null, nodes.Count == 0 ? summary : $"{summary} preemption: 0/{nodes.Count} nodes are available: {nodes.Count} Preemption is not helpful for scheduling.");
    }

    /// <summary>
    /// Why the node cannot take the pod, as the scheduler words it; empty when it can. One reason per node: the first
    /// filter that fails, in kube-scheduler's plugin order (NodeUnschedulable, TaintToleration, NodeAffinity,
    /// NodeResourcesFit), so a tainted node that the selector also excludes reports its taint.
    /// </summary>
    private static List<string> Failures(V1Pod pod, V1Node node, Dictionary<string, decimal> requests, Dictionary<string, decimal> inUse)
    {
        var tolerations = pod.Spec?.Tolerations ?? [];
        // A pod that tolerates the cordon's taint (DaemonSet pods do) may go to a cordoned node.
        if (node.Spec?.Unschedulable == true && !Tolerates(tolerations, new V1Taint { Key = NodeStatusBuilder.UnschedulableTaint, Effect = "NoSchedule" }))
        {
            return ["node(s) were unschedulable"];
        }
        var untolerated = (node.Spec?.Taints ?? []).FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && !Tolerates(tolerations, t));
        if (untolerated is not null)
        {
            return [$"node(s) had untolerated taint {{{untolerated.Key}: {untolerated.Value}}}"];
        }
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        if ((pod.Spec?.NodeSelector ?? new Dictionary<string, string>()).Any(s => !labels.TryGetValue(s.Key, out var v) || v != s.Value))
        {
            return ["node(s) didn't match Pod's node affinity/selector"];
        }
        var allocatable = node.Status?.Allocatable ?? new Dictionary<string, RecOperator.Kube.ResourceQuantity>();
        var insufficient = requests.Where(r => r.Value > 0
                && r.Value + inUse.GetValueOrDefault(r.Key) > (allocatable.TryGetValue(r.Key, out var a) ? a.Value : 0))
            .Select(r => $"Insufficient {r.Key}").ToList();
        return insufficient;
    }

    private static bool Tolerates(IEnumerable<V1Toleration> tolerations, V1Taint taint) => tolerations.Any(t =>
        (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect)
        && (t.Operator == "Exists"
            ? string.IsNullOrEmpty(t.Key) || t.Key == taint.Key
            : t.Key == taint.Key && (t.Value ?? "") == (taint.Value ?? "")));

    /// <summary>Free fraction of cpu after placing the pod: higher means less allocated (kube-scheduler's LeastAllocated).</summary>
    private static decimal Score(V1Node node, Dictionary<string, decimal> requests, Dictionary<string, decimal> inUse)
    {
        var cpu = node.Status?.Allocatable is { } a && a.TryGetValue("cpu", out var q) ? q.Value : 0;
        return cpu <= 0 ? 0 : (cpu - inUse.GetValueOrDefault("cpu") - requests.GetValueOrDefault("cpu")) / cpu;
    }
}
