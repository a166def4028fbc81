using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

public sealed partial class AutoscalerLoop
{
    /// <summary>Event reasons, stable for alerting and `kubectl get events --field-selector reason=...`.</summary>
    public const string ScaledUpReason = "ScaledUp";
    public const string ScaledDownReason = "ScaledDown";
    public const string RebalancedReason = "Rebalanced";
    public const string MetricsMissingReason = "MetricsMissing";

    private async Task RecordEventsAsync(RecModel model, ScalingDecision decision, ModelAutoscaling previous, bool warnMetricsMissing, CancellationToken cancellationToken)
    {
        try
        {
            if (decision.Changed)
            {
                var before = previous.Scaling.Replicas;
                var (reason, change) = Describe(before, decision.Replicas);
                await _events.RecordAsync(model, EventRecorder.Normal, reason, "Scale", $"{change}: {decision.Explanation}", cancellationToken).ConfigureAwait(false);
            }

            // One Warning per outage that lasts (MetricsOutage), not one per sync while it lasts.
            if (warnMetricsMissing)
            {
                await _events.RecordAsync(model, EventRecorder.Warning, MetricsMissingReason, "Scale", decision.Explanation, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is KubeApiException or HttpRequestException)
        {
            LogEventFailed(_logger, ObjectKey.Of(model).ToString(), error);
        }
    }

    private static (string Reason, string Change) Describe(IReadOnlyDictionary<PlacementKey, int> before, IReadOnlyDictionary<PlacementKey, int> after)
    {
        var changes = before.Keys.Union(after.Keys)
            .Select(k => (Key: k, From: before.GetValueOrDefault(k), To: after.GetValueOrDefault(k)))
            .Where(c => c.From != c.To)
            .OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .Select(c => $"{c.Key} {c.From} -> {c.To}");
        var (total, next) = (before.Values.Sum(), after.Values.Sum());
        var reason = next > total ? ScaledUpReason : next < total ? ScaledDownReason : RebalancedReason;
        return (reason, string.Join(", ", changes));
    }
}
