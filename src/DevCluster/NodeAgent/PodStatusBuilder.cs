using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// A running pod's status from its containers' (contract 1): podIP = hostIP = 127.0.0.1, the phase, and the
/// conditions PodScheduled, Initialized, ContainersReady and Ready with transition times kept while they hold. Conditions
/// the kubelet does not own (DisruptionTarget from an eviction, a readiness gate's) are kept ahead of its own, as the
/// kubelet's status manager merges them.
/// </summary>
public static class PodStatusBuilder
{
    public const string LocalIp = "127.0.0.1";

    private static readonly HashSet<string> KubeletConditions = new(StringComparer.Ordinal)
    {
        "PodScheduled", "Initialized", "ContainersReady", "Ready", "PodReadyToStartContainers",
    };

    /// <param name="initContainers">The init containers' statuses, in spec order; none when the pod has none.</param>
    public static V1PodStatus Build(V1Pod pod, IReadOnlyList<V1ContainerStatus> containers, bool allDone, DateTimeOffset startTime, DateTimeOffset now,
        IReadOnlyList<V1ContainerStatus>? initContainers = null)
    {
        var previous = pod.Status;
        initContainers ??= [];
        var initialized = InitContainerSequence.Initialized(pod, initContainers);
        var allReady = containers.Count > 0 && containers.All(c => c.Ready);
        // The kubelet's getPhase: Pending while initializing, Failed when an init container failed for good.
        var phase = InitContainerSequence.FailedForGood(initContainers, allDone) ? "Failed" : initialized ? Phase(containers, allDone) : "Pending";
        var notReady = string.Join(", ", containers.Where(c => !c.Ready).Select(c => c.Name));
        V1PodCondition Condition(string type, bool ok, string? reason = null, string? message = null) => Carry(previous, new V1PodCondition
        {
            Type = type, Status = ok ? "True" : "False", Reason = ok ? null : reason, Message = ok ? null : message,
        }, now);
        return (previous ?? new V1PodStatus()) with
        {
            Phase = phase,
            HostIP = LocalIp,
            HostIPs = [new V1HostIP { Ip = LocalIp }],
            PodIP = LocalIp,
            PodIPs = [new V1PodIP { Ip = LocalIp }],
            StartTime = previous?.StartTime ?? startTime,
            QosClass = previous?.QosClass ?? "BestEffort",
            Conditions =
            [
                .. (previous?.Conditions ?? []).Where(c => !KubeletConditions.Contains(c.Type ?? "")),
                Condition("PodScheduled", true),
                Condition("Initialized", initialized, "ContainersNotInitialized", InitContainerSequence.Incomplete(pod, initContainers)),
                Condition("ContainersReady", allReady, "ContainersNotReady", $"containers with unready status: [{notReady}]"),
                Condition("Ready", allReady, "ContainersNotReady", $"containers with unready status: [{notReady}]"),
            ],
            ContainerStatuses = [.. containers],
            InitContainerStatuses = initContainers.Count > 0 ? [.. initContainers] : previous?.InitContainerStatuses,
        };
    }

    /// <summary>Pending until every container has started once; Succeeded/Failed when none will run again; else Running.</summary>
    private static string Phase(IReadOnlyList<V1ContainerStatus> containers, bool allDone)
    {
        if (allDone && containers.All(c => c.State?.Terminated is not null))
        {
            return containers.All(c => c.State!.Terminated!.ExitCode == 0) ? "Succeeded" : "Failed";
        }
        var everStarted = containers.All(c => c.State?.Running is not null || c.State?.Terminated is not null || c.LastState?.Terminated is not null);
        return everStarted ? "Running" : "Pending";
    }

    private static V1PodCondition Carry(V1PodStatus? previous, V1PodCondition fresh, DateTimeOffset now)
    {
        var old = previous?.Conditions?.FirstOrDefault(c => c.Type == fresh.Type);
        return fresh with { LastTransitionTime = old?.Status == fresh.Status ? old.LastTransitionTime ?? now : now };
    }
}
