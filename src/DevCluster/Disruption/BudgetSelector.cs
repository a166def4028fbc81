using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// Which pods a budget covers. For the controller (policy/v1) a null selector matches no pod and an empty one every
/// pod of the namespace; for an eviction an empty selector matches nothing, as on the real server, so that a budget
/// written carelessly cannot block every eviction in its namespace. Pure.
/// </summary>
public static class BudgetSelector
{
    public static List<V1Pod> Matching(V1PodDisruptionBudget budget, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return Of(budget, emptyMatchesAll: true) is { } selector ? pods.Where(p => selector.Matches(Labels(p))).ToList() : [];
    }

    /// <summary>Whether an eviction of a pod with these labels must ask this budget.</summary>
    public static bool Guards(V1PodDisruptionBudget budget, IReadOnlyDictionary<string, string> podLabels) =>
        Of(budget, emptyMatchesAll: false) is { } selector && selector.Matches(podLabels);

    private static LabelSelector? Of(V1PodDisruptionBudget budget, bool emptyMatchesAll)
    {
        if (budget.Spec?.Selector is not { } typed)
        {
            return null;
        }
        var json = JsonNode.Parse(JsonSerializer.Serialize(typed, KubeJsonContext.Default.V1LabelSelector))!.AsObject();
        var empty = (typed.MatchLabels?.Count ?? 0) == 0 && (typed.MatchExpressions?.Count ?? 0) == 0;
        return empty && !emptyMatchesAll ? null : LabelSelector.Of(json);
    }

    private static IReadOnlyDictionary<string, string> Labels(V1Pod pod) =>
        pod.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>();
}
