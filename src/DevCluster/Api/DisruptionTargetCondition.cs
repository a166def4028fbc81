using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The `DisruptionTarget` condition an eviction puts on its pod before deleting it (PodDisruptionConditions, on by
/// default since 1.26), so the pod's owner and its own preStop logic can tell an eviction from a crash. Set as
/// UpdatePodCondition sets it: replaced in place, its transition time kept while its status holds. Pure.
/// </summary>
public static class DisruptionTargetCondition
{
    public const string Type = "DisruptionTarget";

    public static JsonObject Add(JsonObject pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var condition = new JsonObject
        {
            ["type"] = Type,
            ["status"] = "True",
            ["lastTransitionTime"] = ObjectRules.Timestamp(now),
            ["reason"] = "EvictionByEvictionAPI",
            ["message"] = "Eviction API: evicting",
        };
        var index = conditions.Select((c, i) => (c, i)).FirstOrDefault(x => JsonTree.GetString(x.c as JsonObject ?? [], "type") == Type, (null, -1)).i;
        if (index < 0)
        {
            conditions.Add(condition);
            return pod;
        }
        var previous = conditions[index]!.AsObject();
        if (JsonTree.GetString(previous, "status") == "True" && previous["lastTransitionTime"] is { } since)
        {
            condition["lastTransitionTime"] = since.DeepClone();
        }
        conditions[index] = condition;
        return pod;
    }
}
