using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>kube-scheduler's Events about a pod, with its reasons and wording.</summary>
public static class SchedulerEvents
{
    public static EventOccurrence Scheduled(V1Pod pod, string node) =>
        EventOccurrence.AboutTyped(pod, EventRecorder.Normal, "Scheduled", "Binding",
            $"Successfully assigned {pod.Metadata?.Namespace}/{pod.Metadata?.Name} to {node}");

    /// <param name="message">The scheduler's unschedulable message, `0/N nodes are available: ...`.</param>
    public static EventOccurrence FailedScheduling(V1Pod pod, string message) =>
        EventOccurrence.AboutTyped(pod, EventRecorder.Warning, "FailedScheduling", "Scheduling", message);
}
