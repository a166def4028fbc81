using RecOperator.Kube.Models;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>The autoscaler's two conditions, with transition times kept while a status does not change.</summary>
public static class AutoscalerConditions
{
    public const string MetricsAvailable = "MetricsAvailable";
    public const string SloAtRisk = "SLOAtRisk";

    public static IReadOnlyList<V1Condition> Build(
        ScalingDecision decision, IReadOnlyDictionary<string, double> variantP99Ms, double sloP99Ms, long? generation,
        IReadOnlyList<V1Condition> previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(variantP99Ms);
        var metrics = decision.MetricsAvailable
            ? Condition(MetricsAvailable, "True", "MetricsMeasured", "QPS and p99 were measured over the window")
            : Condition(MetricsAvailable, "False", "MetricsMissing", "demand could not be measured; replicas are held, never scaled down blind");
        var over = variantP99Ms.Where(p => p.Value > sloP99Ms).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var risk = (decision.MetricsAvailable, over.Count, decision.Target.IsFeasible) switch
        {
            (false, _, _) => Condition(SloAtRisk, "Unknown", "MetricsMissing", "p99 is not measured"),
            (true, > 0, _) => Condition(SloAtRisk, "True", "P99AboveSlo",
                $"p99 above the {sloP99Ms} ms SLO on {string.Join(", ", over.Select(p => $"{p.Key} ({p.Value:0.#} ms)"))}"
                + (decision.SloGuardHeld ? "; added replicas did not lower it, so the SLO guard adds no more" : string.Empty)),
            (true, _, false) => Condition(SloAtRisk, "True", "ShortOfCapacity",
                $"{decision.Target.ShortfallQps:0} QPS of required capacity fits in no eligible pool"),
            _ => Condition(SloAtRisk, "False", "WithinSlo", "p99 within the SLO and demand covered"),
        };
        return [Keep(metrics, previous), Keep(risk, previous)];

        V1Condition Condition(string type, string status, string reason, string message) =>
            new() { Type = type, Status = status, Reason = reason, Message = message, ObservedGeneration = generation, LastTransitionTime = now };
    }

    // As in Kubernetes: lastTransitionTime moves only when the status does.
    private static V1Condition Keep(V1Condition next, IReadOnlyList<V1Condition> previous) =>
        previous.FirstOrDefault(p => p.Type == next.Type) is { } old && old.Status == next.Status
            ? next with { LastTransitionTime = old.LastTransitionTime }
            : next;
}
