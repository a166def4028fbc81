using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Which RecModel a pod change should reconcile, if any. The pods are watched anyway (the autoscaler's informer), so
/// waking the owner costs no request; but only a change of what the reconciler reads from pods wakes it: a pod coming
/// or going, its phase, a scheduling failure, and each container's waiting state and last termination
/// (<see cref="WorkloadProblems"/>: NoCapacity, CrashLoopBackOff, artifact and caBundle errors). A pod turning Ready
/// alone wakes nothing: the model's ready replicas are read from its Deployments, whose own status change follows and
/// already wakes it, so a pass on the pod's event would compute the same figures. Pure.
/// </summary>
public static class ModelPodWakeups
{
    /// <summary>
    /// How long a woken model waits before its pass: the work queue keeps the earliest pending time per key, so the
    /// changes of a rollout's many pods within this window are one reconcile.
    /// </summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static ObjectKey? ModelOf(InformerEvent<V1Pod> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pod = change.Object;
        if (change.Type == InformerEventType.Resync
            || pod.Metadata?.Labels is not { } labels || !labels.TryGetValue(ChildLabels.Model, out var model) || string.IsNullOrEmpty(model))
        {
            return null;
        }

        var matters = change.Type is InformerEventType.Added or InformerEventType.Deleted
            || change.Old is null || !string.Equals(Signature(change.Old), Signature(pod), StringComparison.Ordinal);
        return matters ? new ObjectKey(pod.Metadata.Namespace ?? "", model) : null;
    }

    // The fields WorkloadProblems reads, in one string; readiness and restart counts are left out on purpose.
    private static string Signature(V1Pod pod)
    {
        var status = pod.Status;
        var scheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status != Conditions.True);
        var containers = (status?.InitContainerStatuses ?? []).Concat(status?.ContainerStatuses ?? [])
            .Select(c => $"{c.Name}:{c.State?.Waiting?.Reason}:{c.State?.Waiting?.Message}:{c.LastState?.Terminated?.ExitCode}:{c.LastState?.Terminated?.Message}");
        return string.Join("|", [status?.Phase, scheduled?.Reason, scheduled?.Message, .. containers]);
    }
}
