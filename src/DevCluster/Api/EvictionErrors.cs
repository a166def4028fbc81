using System.Text.Json.Nodes;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// The eviction subresource's refusals in kube-apiserver's words. A 429 carries a `DisruptionBudget` cause, which
/// `kubectl drain` prints before it retries; the one for a budget the controller has not caught up with also says
/// when to retry (details.retryAfterSeconds and the Retry-After header, which client-go waits for by itself).
/// </summary>
public static class EvictionErrors
{
    public const string Refused = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>The real server names pods in the eviction's own precondition checks by kind, not by resource.</summary>
    private static readonly ResourceType PodKind = new("", "v1", "Pod", "Pod", Namespaced: true);

    /// <summary>Budgets in the eviction's 403s are named as `policy.Resource("poddisruptionbudget")`.</summary>
    private static readonly ResourceType BudgetResource = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudget", Namespaced: true);

    public static ApiException WouldViolate(string budget, int desiredHealthy, int currentHealthy) =>
        TooManyRequests($"The disruption budget {budget} needs {desiredHealthy} healthy pods and has {currentHealthy} currently", retryAfterSeconds: 0);

    public static ApiException StillProcessing(string budget) =>
        TooManyRequests($"The disruption budget {budget} is still being processed by the server.", retryAfterSeconds: 10);

    public static ApiException BudgetForbidden(string budget, string why) => ApiErrors.Forbidden(BudgetResource, budget, why);

    /// <summary>The pod changed or was replaced since the eviction's deleteOptions were written (checked before its DisruptionTarget condition is added).</summary>
    public static ApiException UidChanged(string pod, string expected, string actual) => ApiErrors.Conflict(PodKind, pod,
        $"the UID in the precondition ({expected}) does not match the UID in record ({actual}). The object might have been deleted and then recreated");

    public static ApiException ResourceVersionChanged(string pod, string expected, string actual) => ApiErrors.Conflict(PodKind, pod,
        $"the ResourceVersion in the precondition ({expected}) does not match the ResourceVersion in record ({actual}). The object might have been modified");

    private static ApiException TooManyRequests(string cause, int retryAfterSeconds)
    {
        var details = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) };
        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }
        return new ApiException(429, "TooManyRequests", Refused, details);
    }
}
