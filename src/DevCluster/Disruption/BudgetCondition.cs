using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// The DisruptionAllowed condition, set as apimachinery's SetStatusCondition sets one: its transition time moves only
/// when its status changes, while reason, message and observedGeneration follow every write. Pure.
/// </summary>
public static class BudgetCondition
{
    public static IList<V1Condition> Set(IList<V1Condition>? conditions, bool allowed, string reason, string message, long? observedGeneration, DateTimeOffset now)
    {
        var status = allowed ? "True" : "False";
        var result = (conditions ?? []).Where(c => c.Type != BudgetStatusBuilder.ConditionType).ToList();
        var previous = conditions?.FirstOrDefault(c => c.Type == BudgetStatusBuilder.ConditionType);
        result.Add(new V1Condition
        {
            Type = BudgetStatusBuilder.ConditionType,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = observedGeneration,
            // Whole seconds, as the stored form keeps them, so an unchanged condition compares equal to what was read back.
            LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
        });
        return result;
    }
}
