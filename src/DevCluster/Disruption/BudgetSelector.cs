using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// Which pods a budget covers, for the controller and for an eviction alike: in policy/v1 a null selector matches no
/// pod and an empty one every pod of the namespace (policy/v1beta1's "empty matches nothing" is gone with it). Pure.
/// </summary>
public static class BudgetSelector
{
    public static List<V1Pod> Matching(V1PodDisruptionBudget budget, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return Of(budget) is { } selector ? pods.Where(p => selector.Matches(Labels(p))).ToList() : [];
    }

    /// <summary>Whether an eviction of a pod with these labels must ask this budget.</summary>
    public static bool Guards(V1PodDisruptionBudget budget, IReadOnlyDictionary<string, string> podLabels) =>
        Of(budget) is { } selector && selector.Matches(podLabels);

    private static LabelSelector? Of(V1PodDisruptionBudget budget) =>
        budget.Spec?.Selector is { } typed
            ? LabelSelector.Of(JsonNode.Parse(JsonSerializer.Serialize(typed, KubeJsonContext.Default.V1LabelSelector))!.AsObject())
            : null;

    private static IReadOnlyDictionary<string, string> Labels(V1Pod pod) =>
        pod.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : new Dictionary<string, string>();
}
