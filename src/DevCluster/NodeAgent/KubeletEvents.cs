using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's Events about a pod and its containers, with its reasons and wording (kube 1.32). Each names the
/// pod's node as the reporting instance (the core form's source.host), and a container's names it by field path.
/// The process runner has no image to pull, so Pulled is not reported; Created and Started are.
/// </summary>
public static class KubeletEvents
{
    public static EventOccurrence FailedMount(V1Pod pod, string message) => About(pod, null, EventRecorder.Warning, "FailedMount", "Mount", message);

    public static EventOccurrence Created(V1Pod pod, string container) => About(pod, container, EventRecorder.Normal, "Created", "Create", $"Created container: {container}");

    public static EventOccurrence Started(V1Pod pod, string container) => About(pod, container, EventRecorder.Normal, "Started", "Start", $"Started container {container}");

    public static EventOccurrence Killing(V1Pod pod, string container) => About(pod, container, EventRecorder.Normal, "Killing", "Kill", $"Stopping container {container}");

    /// <param name="probe">`liveness` or `startup`: the probes whose failure restarts a container.</param>
    public static EventOccurrence KillingForProbe(V1Pod pod, string container, string probe) =>
        About(pod, container, EventRecorder.Normal, "Killing", "Kill", $"Container {container} failed {probe} probe, will be restarted");

    public static EventOccurrence BackOff(V1Pod pod, string container) =>
        About(pod, container, EventRecorder.Warning, "BackOff", "Restart",
            $"Back-off restarting failed container {container} in pod {pod.Metadata?.Name}_{pod.Metadata?.Namespace}({pod.Metadata?.Uid})");

    /// <param name="probeType">`Readiness`, `Liveness` or `Startup`.</param>
    public static EventOccurrence Unhealthy(V1Pod pod, string container, string probeType, V1Probe probe) =>
        About(pod, container, EventRecorder.Warning, "Unhealthy", "Probe", $"{probeType} probe failed: {ProbeFailure(probe)}");

    // The process runner's probes answer yes or no, so the note says what was tried where the kubelet quotes the
    // prober's output (an HTTP status, a dial error).
    private static string ProbeFailure(V1Probe probe) => probe switch
    {
        { HttpGet: { } http } => $"HTTP probe failed: GET {http.Path ?? "/"} on port {http.Port}",
        { TcpSocket: { } tcp } => $"TCP probe failed: no connection on port {tcp.Port}",
        { Grpc: { } grpc } => $"gRPC health check failed on port {grpc.Port}",
        { Exec: { } exec } => $"command {string.Join(' ', exec.Command ?? [])} failed",
        _ => "probe failed",
    };

    private static EventOccurrence About(V1Pod pod, string? container, string type, string reason, string action, string note) =>
        EventOccurrence.AboutTyped(pod, type, reason, action, note, container is null ? null : EventOccurrence.ContainerFieldPath(container), pod.Spec?.NodeName);
}
