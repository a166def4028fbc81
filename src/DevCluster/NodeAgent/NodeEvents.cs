using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// What the node lifecycle here can honestly report: the node controller's RegisteredNode when a node is first
/// created, and the kubelet's NodeReady / NodeNotReady when its Ready condition flips (a node taken down by
/// `recop devcluster node down` goes Unknown, which a real kubelet reports as NodeNotReady).
/// </summary>
public static class NodeEvents
{
    public static EventOccurrence RegisteredNode(V1Node node) =>
        EventOccurrence.AboutTyped(node, EventRecorder.Normal, "RegisteredNode", "Register",
            $"Node {node.Metadata?.Name} event: Registered Node {node.Metadata?.Name} in Controller");

    public static EventOccurrence ReadyChanged(V1Node node, bool ready)
    {
        var reason = ready ? "NodeReady" : "NodeNotReady";
        return EventOccurrence.AboutTyped(node, EventRecorder.Normal, reason, "NodeStatus", $"Node {node.Metadata?.Name} status is now: {reason}", reportingInstance: node.Metadata?.Name);
    }
}
