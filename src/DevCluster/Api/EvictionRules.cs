using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The decisions of kube-apiserver's eviction subresource, as pure functions: which pods skip the budget, which
/// deletions carry the pod's own resourceVersion as a precondition (so a pod that turns Ready meanwhile is not taken),
/// when an unhealthy pod may go without spending a disruption, and when a budget refuses one.
/// </summary>
public static class EvictionRules
{
    /// <summary>The most evictions a budget may have recorded that its controller has not seen through yet.</summary>
    public const int MaxDisruptedPods = 2000;

    /// <summary>Pods whose deletion disrupts nothing: not started, finished, or already on their way out.</summary>
    public static bool CanIgnoreBudget(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Phase is "Pending" or "Succeeded" or "Failed";

    /// <summary>
    /// Whether the deletion of a pod that skips the budget must find the pod as it was read: a pending pod could
    /// start and turn Ready in between, and would then be taken without asking its budget. Finished and deleting pods
    /// cannot become healthy again.
    /// </summary>
    public static bool EnforcesResourceVersion(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>
    /// An unhealthy (not Ready) pod counts neither toward currentHealthy nor toward the disruptions a budget allows, so
    /// it may go without spending one: always under `AlwaysAllow`, and under the default `IfHealthyBudget` while the
    /// budget is met (its guarded application is not disrupted now). Otherwise the budget decides as for a healthy pod.
    /// </summary>
    public static bool MayDeleteUnhealthy(V1Pod pod, V1PodDisruptionBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (PodView.IsReady(pod))
        {
            return false;
        }
        if (budget.Spec?.UnhealthyPodEvictionPolicy == "AlwaysAllow")
        {
            return true;
        }
        var status = budget.Status ?? new V1PodDisruptionBudgetStatus();
        var desired = status.DesiredHealthy ?? 0;
        return (status.CurrentHealthy ?? 0) >= desired && desired > 0;
    }

    /// <summary>Why the budget cannot give a disruption now, in the order the real server checks; null when it can.</summary>
    public static ApiException? Refusal(V1PodDisruptionBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var name = budget.Metadata?.Name ?? "";
        var status = budget.Status ?? new V1PodDisruptionBudgetStatus();
        if ((status.ObservedGeneration ?? 0) < (budget.Metadata?.Generation ?? 0))
        {
            return EvictionErrors.StillProcessing(name);
        }
        if (status.DisruptionsAllowed < 0)
        {
            return EvictionErrors.BudgetForbidden(name, "pdb disruptions allowed is negative");
        }
        if ((status.DisruptedPods?.Count ?? 0) > MaxDisruptedPods)
        {
            return EvictionErrors.BudgetForbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        return (status.DisruptionsAllowed ?? 0) == 0 ? EvictionErrors.WouldViolate(name, status.DesiredHealthy ?? 0, status.CurrentHealthy ?? 0) : null;
    }

    /// <summary>
    /// The budget after one disruption is spent on <paramref name="podName"/>: one fewer allowed, the condition closed
    /// when none is left (its reason stays the controller's until then), and the pod recorded in disruptedPods so the
    /// controller stops counting it before its deletion shows.
    /// </summary>
    public static V1PodDisruptionBudgetStatus Spend(V1PodDisruptionBudgetStatus status, string podName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var allowed = (status.DisruptionsAllowed ?? 0) - 1;
        var disrupted = new Dictionary<string, DateTimeOffset>(status.DisruptedPods ?? new Dictionary<string, DateTimeOffset>(), StringComparer.Ordinal)
        {
            [podName] = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
        };
        return status with
        {
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted,
            Conditions = allowed == 0
                ? Disruption.BudgetCondition.Set(status.Conditions, false, "InsufficientPods", "", status.ObservedGeneration, now)
                : status.Conditions,
        };
    }

    /// <summary>
    /// A deletion the server guarded with the pod's resourceVersion, refused because the pod changed: the client did not
    /// ask for that precondition, so it gets the budget's 429 and tries again, instead of a 409 it could not explain.
    /// </summary>
    public static bool ConflictIsRetryable(bool serverSetResourceVersion, string? clientResourceVersion) =>
        serverSetResourceVersion && clientResourceVersion is null;
}
