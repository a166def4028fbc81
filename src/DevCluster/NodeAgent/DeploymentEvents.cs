using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>The deployment-controller's ScalingReplicaSet Event, worded as kube 1.32 words it ("from A to B").</summary>
public static class DeploymentEvents
{
    public static EventOccurrence ScalingReplicaSet(V1Deployment deployment, string replicaSet, int from, int to) =>
        EventOccurrence.AboutTyped(deployment, EventRecorder.Normal, "ScalingReplicaSet", "Scale",
            $"Scaled {(to > from ? "up" : "down")} replica set {replicaSet} from {from} to {to}");
}
