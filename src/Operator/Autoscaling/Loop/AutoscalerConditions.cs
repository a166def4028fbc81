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
        var demand = decision.State.LastDemandQps ?? 0;
        var metrics = decision.MetricsAvailable
            ? Condition(MetricsAvailable, "True", "MetricsMeasured", variantP99Ms.Count > 0
                ? "QPS and p99 were measured over the window"
                : FormattableString.Invariant($"QPS was measured over the window ({demand:0.##} QPS); p99 was not (there is none without requests)"))
            : Condition(MetricsAvailable, "False", "MetricsMissing",
                $"demand could not be measured{Why(decision.Unmeasured)}; replicas are held, never scaled down blind");
        var over = variantP99Ms.Where(p => p.Value > sloP99Ms).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var risk = (decision.MetricsAvailable, over.Count, decision.Target.IsFeasible, variantP99Ms.Count) switch
        {
            (false, _, _, _) => Condition(SloAtRisk, "Unknown", "MetricsMissing", "p99 is not measured"),
            (true, > 0, _, _) => Condition(SloAtRisk, "True", "P99AboveSlo",
                $"p99 above the {sloP99Ms} ms SLO on {string.Join(", ", over.Select(p => $"{p.Key} ({p.Value:0.#} ms)"))}"
                + (decision.SloGuardHeld ? "; added replicas did not lower it, so the SLO guard adds no more" : string.Empty)),
            (true, _, false, _) => Condition(SloAtRisk, "True", "ShortOfCapacity",
                $"{decision.Target.ShortfallQps:0} QPS of required capacity fits in no eligible pool"),
            // An idle model is measured (0 QPS): no latency to judge and no demand to cover is no risk, not missing data.
            (true, _, _, 0) when demand <= 0 => Condition(SloAtRisk, "False", "NoTraffic", "no requests in the window: no p99 to judge and no demand to cover"),
            (true, _, _, 0) => Condition(SloAtRisk, "Unknown", "P99NotMeasured",
                FormattableString.Invariant($"demand was measured ({demand:0.##} QPS) but no variant's p99 was")),
            _ => Condition(SloAtRisk, "False", "WithinSlo", "p99 within the SLO and demand covered"),
        };
        return [Keep(metrics, previous), Keep(risk, previous)];

        V1Condition Condition(string type, string status, string reason, string message) =>
            new() { Type = type, Status = status, Reason = reason, Message = message, ObservedGeneration = generation, LastTransitionTime = now };
    }

    private static string Why(IReadOnlyList<string> unmeasured) => unmeasured.Count > 0 ? $" ({string.Join("; ", unmeasured)})" : string.Empty;

    // As in Kubernetes: lastTransitionTime moves only when the status does.
    private static V1Condition Keep(V1Condition next, IReadOnlyList<V1Condition> previous) =>
        previous.FirstOrDefault(p => p.Type == next.Type) is { } old && old.Status == next.Status
            ? next with { LastTransitionTime = old.LastTransitionTime }
            : next;
}
