using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Validation;

/// <summary>
/// The status the real server gives a new pod, whatever status the client sent: Pending with its QoS class, and for a
/// pod with scheduling gates the PodScheduled=False SchedulingGated condition. A pod's status is the kubelet's and the
/// scheduler's to write, through the status and binding subresources; a client cannot create a pod that already runs. Pure.
/// </summary>
public static class PodCreateStatus
{
    public static JsonObject For(JsonObject pod, DateTimeOffset now)
    {
        var spec = pod["spec"];
        var status = new JsonObject { ["phase"] = "Pending", ["qosClass"] = PodQos.Of(spec) };
        if ((JsonTree.Get(spec, "schedulingGates") as JsonArray ?? []).Count > 0)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = ObjectRules.Timestamp(now),
                ["reason"] = "SchedulingGated",
                ["message"] = "Scheduling is blocked due to non-empty scheduling gates",
            });
        }
        return status;
    }
}
