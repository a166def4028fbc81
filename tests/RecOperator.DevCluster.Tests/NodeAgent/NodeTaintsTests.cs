using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.NodeAgent;

/// <summary>Which of a node's taints the agent manages (<see cref="NodeStatusBuilder.Taints"/>): its pool's and the state ones, nothing else.</summary>
public sealed class NodeTaintsTests
{
    private static readonly NodePoolConfig Spot = new() { Name = "cpu-spot", Taints = [new NodeTaintConfig("recoperator.io/spot", "true", "NoSchedule")] };

    [Theory]
    // A taint added by hand stays; the pool's is there.
    [InlineData(false, false, "recoperator.io/spot=true:NoSchedule,dedicated=qa:NoSchedule", "dedicated=qa:NoSchedule,recoperator.io/spot=true:NoSchedule")]
    // The pool's taint removed or changed by hand is put back, by key and effect; same key, other effect is someone else's.
    [InlineData(false, false, "recoperator.io/spot=false:NoSchedule,recoperator.io/spot=x:NoExecute", "recoperator.io/spot=x:NoExecute,recoperator.io/spot=true:NoSchedule")]
    [InlineData(false, false, "", "recoperator.io/spot=true:NoSchedule")]
    // Uncordoned and up again: the state taints go, the hand-added one stays.
    [InlineData(false, false, "node.kubernetes.io/unschedulable=:NoSchedule,node.kubernetes.io/unreachable=:NoExecute,dedicated=qa:NoSchedule",
        "dedicated=qa:NoSchedule,recoperator.io/spot=true:NoSchedule")]
    [InlineData(true, true, "dedicated=qa:NoExecute",
        "dedicated=qa:NoExecute,recoperator.io/spot=true:NoSchedule,node.kubernetes.io/unreachable=:NoSchedule,node.kubernetes.io/unreachable=:NoExecute,node.kubernetes.io/unschedulable=:NoSchedule")]
    public void Taints_NodeWithHandAddedAndStateTaints_KeepsOnlyWhatTheAgentDoesNotOwn(bool down, bool cordoned, string current, string expected)
    {
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "cpu-spot-0", Annotations = down ? new Dictionary<string, string> { [NodeSwitch.DownAnnotation] = "true" } : null },
            Spec = new V1NodeSpec { Unschedulable = cordoned, Taints = Parse(current) },
        };

        var taints = NodeStatusBuilder.Taints(Spot, node);

        string.Join(",", taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}")).Should().Be(expected);
    }

    private static List<V1Taint> Parse(string taints) => [.. taints.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t =>
    {
        var (keyValue, effect) = (t[..t.LastIndexOf(':')], t[(t.LastIndexOf(':') + 1)..]);
        var parts = keyValue.Split('=');
        return new V1Taint { Key = parts[0], Value = parts[1].Length == 0 ? null : parts[1], Effect = effect };
    })];
}
