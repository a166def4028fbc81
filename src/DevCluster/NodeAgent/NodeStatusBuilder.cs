using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The Node objects of the config, and what a node looks like up or down. A down node is what the node lifecycle
/// controller makes of a node whose kubelet stopped posting: Ready Unknown and the unreachable taints.
/// </summary>
public static class NodeStatusBuilder
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    /// <summary>The taint of a cordoned node; a pod that tolerates it may also be placed on it.</summary>
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";

    public static V1Node NewNode(NodePoolConfig pool, int index, DateTimeOffset now)
    {
        var name = pool.NodeName(index);
        var labels = new Dictionary<string, string>(pool.Labels, StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["node.kubernetes.io/instance-type"] = pool.Name,
        };
        var resources = pool.Allocatable.ToDictionary(r => r.Key, r => ResourceQuantity.Parse(r.Value), StringComparer.Ordinal);
        resources.TryAdd("pods", ResourceQuantity.Parse("110"));
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1NodeSpec { Taints = ConfigTaints(pool) },
            Status = new V1NodeStatus
            {
                Capacity = resources,
                Allocatable = resources,
                Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }, new V1NodeAddress { Type = "Hostname", Address = name }],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64", BootID = "", ContainerRuntimeVersion = "devcluster://process", KernelVersion = "", KubeProxyVersion = "",
                    KubeletVersion = "v1.32.0-devcluster", MachineID = name, OperatingSystem = "linux", OsImage = "DevCluster local processes", SystemUUID = name,
                },
                Conditions = [ReadyCondition(up: true, now, null)],
            },
        };
    }

    public static List<V1Taint> ConfigTaints(NodePoolConfig pool) =>
        pool.Taints.Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToList();

    /// <summary>
    /// The taints a node should carry now. The agent owns only the taints it sets: its pool's (by key and effect), the
    /// unreachable ones while down and `node.kubernetes.io/unschedulable:NoSchedule` while cordoned, as kube-controller-manager's
    /// node lifecycle controller adds them (it taints nodes by their state, so tolerations and `kubectl describe node`
    /// see it). Every other taint on the node (`kubectl taint nodes N k=v:NoSchedule`) is kept as it is, as the real kubelet
    /// sets its taints only when it registers.
    /// </summary>
    public static List<V1Taint> Taints(NodePoolConfig pool, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(node);
        var owned = ConfigTaints(pool);
        if (NodeSwitch.IsDown(node))
        {
            owned.Add(new V1Taint { Key = UnreachableTaint, Effect = "NoSchedule" });
            owned.Add(new V1Taint { Key = UnreachableTaint, Effect = "NoExecute" });
        }
        if (node.Spec?.Unschedulable == true)
        {
            owned.Add(new V1Taint { Key = UnschedulableTaint, Effect = "NoSchedule" });
        }
        var others = (node.Spec?.Taints ?? []).Where(t => !IsOwned(pool, t));
        return [.. others, .. owned];
    }

    /// <summary>Whether the agent manages this taint: a state taint (any effect) or one of the pool's, by key and effect.</summary>
    public static bool IsOwned(NodePoolConfig pool, V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(taint);
        return taint.Key is UnreachableTaint or UnschedulableTaint || pool.Taints.Any(t => t.Key == taint.Key && t.Effect == taint.Effect);
    }

    /// <summary>The Ready condition; the transition time carries over from <paramref name="previous"/> while the status holds.</summary>
    public static V1NodeCondition ReadyCondition(bool up, DateTimeOffset now, V1NodeCondition? previous)
    {
        var status = up ? "True" : "Unknown";
        var transition = previous?.Status == status ? previous.LastTransitionTime ?? now : now;
        return up
            ? new V1NodeCondition { Type = "Ready", Status = status, Reason = "KubeletReady", Message = "kubelet is posting ready status", LastHeartbeatTime = now, LastTransitionTime = transition }
            : new V1NodeCondition { Type = "Ready", Status = status, Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status.", LastHeartbeatTime = previous?.LastHeartbeatTime, LastTransitionTime = transition };
    }

    public static bool SameTaints(IEnumerable<V1Taint>? a, IEnumerable<V1Taint> b) =>
        (a ?? []).Select(t => (t.Key, t.Value ?? "", t.Effect)).OrderBy(t => t).SequenceEqual(b.Select(t => (t.Key, t.Value ?? "", t.Effect)).OrderBy(t => t));
}
