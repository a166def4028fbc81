using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// A PodDisruptionBudget's status as kube-controller-manager's disruption controller computes it. expectedPods is the
/// number of matched pods for an integer minAvailable, otherwise the replicas their controllers want (a percentage is
/// of that scale); desiredHealthy is minAvailable, or expectedPods - maxUnavailable, percentages rounded up;
/// currentHealthy counts Ready pods neither deleting nor just evicted; disruptionsAllowed is their difference, and 0
/// while no pod is expected (a budget whose pods have not appeared yet is safe, not open). The DisruptionAllowed
/// condition says SufficientPods or InsufficientPods, or SyncFailed when the scale cannot be known. Pure.
/// </summary>
public static class BudgetStatusBuilder
{
    /// <summary>How long an eviction the API server recorded may wait for its pod's deletion before the pod counts again.</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    public const string ConditionType = "DisruptionAllowed";

    /// <param name="pods">The pods of the budget's namespace its selector matches.</param>
    /// <param name="scale">The controllers' scale, asked only when a percentage or maxUnavailable needs it.</param>
    public static V1PodDisruptionBudgetStatus Build(V1PodDisruptionBudget budget, IReadOnlyList<V1Pod> pods, Func<ExpectedScale> scale, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(scale);
        var spec = budget.Spec ?? new V1PodDisruptionBudgetSpec();
        int expected, desired;
        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            var known = scale();
            if (known.Error is not null || Scaled(maxUnavailable, known.Replicas) is not { } unavailable)
            {
                return Failed(budget, known.Error ?? $"invalid value for IntOrString: invalid type: string is not a percentage", now);
            }
            expected = known.Replicas;
            desired = Math.Max(0, expected - unavailable);
        }
        else if (spec.MinAvailable is { IsInt: true } minCount)
        {
            expected = pods.Count;
            desired = minCount.IntValue!.Value;
        }
        else if (spec.MinAvailable is { } minShare)
        {
            var known = scale();
            if (known.Error is not null || Scaled(minShare, known.Replicas) is not { } available)
            {
                return Failed(budget, known.Error ?? $"invalid value for IntOrString: invalid type: string is not a percentage", now);
            }
            expected = known.Replicas;
            desired = available;
        }
        else
        {
            (expected, desired) = (0, 0);
        }
        var disrupted = StillDisrupted(budget.Status?.DisruptedPods, pods, now);
        var healthy = pods.Count(p => p.Metadata?.DeletionTimestamp is null && !disrupted.ContainsKey(p.Metadata?.Name ?? "") && PodView.IsReady(p));
        var allowed = expected <= 0 ? 0 : Math.Max(0, healthy - desired);
        var generation = budget.Metadata?.Generation;
        return new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = allowed,
            DisruptedPods = disrupted.Count == 0 ? null : disrupted,
            ObservedGeneration = generation,
            Conditions = BudgetCondition.Set(budget.Status?.Conditions, allowed > 0, allowed > 0 ? "SufficientPods" : "InsufficientPods", "", generation, now),
        };
    }

    /// <summary>
    /// The real controller keeps its last counts and only closes the budget: an error is no reason to open it, and its
    /// observedGeneration stays, so evictions wait for a status that is current.
    /// </summary>
    private static V1PodDisruptionBudgetStatus Failed(V1PodDisruptionBudget budget, string error, DateTimeOffset now)
    {
        var old = budget.Status ?? new V1PodDisruptionBudgetStatus();
        return old with
        {
            CurrentHealthy = old.CurrentHealthy ?? 0,
            DesiredHealthy = old.DesiredHealthy ?? 0,
            ExpectedPods = old.ExpectedPods ?? 0,
            DisruptionsAllowed = 0,
            Conditions = BudgetCondition.Set(old.Conditions, false, "SyncFailed", error, old.ObservedGeneration, now),
        };
    }

    /// <summary>An absolute value or a percentage of <paramref name="total"/> rounded up; null when the string is no percentage.</summary>
    private static int? Scaled(Kube.IntOrString value, int total)
    {
        try
        {
            return value.GetScaledValue(total, roundUp: true);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Evictions the API server recorded whose pod is still there, not yet deleting, and within the timeout: those pods are
    /// about to go, so they do not count as healthy (else a second eviction could pass before the first pod's deletion shows).
    /// </summary>
    private static Dictionary<string, DateTimeOffset> StillDisrupted(IDictionary<string, DateTimeOffset>? recorded, IReadOnlyList<V1Pod> pods, DateTimeOffset now)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (name, evictedAt) in recorded ?? new Dictionary<string, DateTimeOffset>())
        {
            var pod = pods.FirstOrDefault(p => p.Metadata?.Name == name);
            if (pod is not null && pod.Metadata?.DeletionTimestamp is null && evictedAt + DeletionTimeout > now)
            {
                result[name] = evictedAt;
            }
        }
        return result;
    }
}
