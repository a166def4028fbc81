using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// The init containers' part of the `kubectl get pods` row, as the real server's printer writes it: while the pod
/// initializes, STATUS is <c>Init:i/n</c> (i completed of n), or <c>Init:</c> and the reason of the one that holds it
/// up (<c>Init:Error</c>, <c>Init:CrashLoopBackOff</c>, else <c>Init:ExitCode:N</c>/<c>Init:Signal:N</c>); RESTARTS
/// counts the init containers' restarts until it has initialized. A started sidecar (restartPolicy Always) counts as
/// one of the pod's containers in READY. Pure.
/// </summary>
public static class PodInitPrinter
{
    /// <param name="Reason">The STATUS while initializing; null once no init container holds the pod back.</param>
    /// <param name="Restarts">Every init container's restarts (what RESTARTS shows while initializing).</param>
    /// <param name="SidecarRestarts">The sidecars' restarts alone (what RESTARTS adds to the app containers' after).</param>
    public sealed record InitRow(string? Reason, int ReadySidecars, long Restarts, DateTimeOffset? LastRestart, long SidecarRestarts, DateTimeOffset? SidecarLastRestart);

    /// <summary>How many init containers are sidecars, which the READY column counts among the pod's containers.</summary>
    public static int Sidecars(JsonObject pod) =>
        (JsonTree.Get(pod, "spec.initContainers") as JsonArray ?? []).Count(IsSidecar);

    public static InitRow Read(JsonObject pod)
    {
        var specs = JsonTree.Get(pod, "spec.initContainers") as JsonArray ?? [];
        var sidecars = specs.Where(IsSidecar).Select(c => JsonTree.GetString(c, "name")).ToHashSet(StringComparer.Ordinal);
        var statuses = JsonTree.Get(pod, "status.initContainerStatuses") as JsonArray ?? [];
        string? reason = null;
        var ready = 0;
        long restarts = 0, sidecarRestarts = 0;
        DateTimeOffset? lastRestart = null, sidecarLastRestart = null;
        for (var i = 0; i < statuses.Count; i++)
        {
            var status = statuses[i];
            var sidecar = sidecars.Contains(JsonTree.GetString(status, "name"));
            var count = JsonTree.GetLong(status, "restartCount") ?? 0;
            var finished = Time(JsonTree.GetString(status, "lastState.terminated.finishedAt"));
            restarts += count;
            lastRestart = Later(lastRestart, finished);
            if (sidecar)
            {
                sidecarRestarts += count;
                sidecarLastRestart = Later(sidecarLastRestart, finished);
            }
            var terminated = JsonTree.Get(status, "state.terminated") as JsonObject;
            if (terminated is not null && (JsonTree.GetLong(terminated, "exitCode") ?? 0) == 0)
            {
                continue;
            }
            if (sidecar && IsTrue(JsonTree.Get(status, "started")))
            {
                ready += IsTrue(JsonTree.Get(status, "ready")) ? 1 : 0;
                continue;
            }
            reason = terminated is not null
                ? JsonTree.GetString(terminated, "reason") is { Length: > 0 } why ? $"Init:{why}"
                    : JsonTree.GetLong(terminated, "signal") is { } signal and not 0 ? $"Init:Signal:{signal.ToString(CultureInfo.InvariantCulture)}"
                    : $"Init:ExitCode:{(JsonTree.GetLong(terminated, "exitCode") ?? 0).ToString(CultureInfo.InvariantCulture)}"
                : JsonTree.GetString(status, "state.waiting.reason") is { Length: > 0 } waiting && waiting != "PodInitializing" ? $"Init:{waiting}"
                : $"Init:{i.ToString(CultureInfo.InvariantCulture)}/{specs.Count.ToString(CultureInfo.InvariantCulture)}";
            break;
        }
        return new InitRow(reason, ready, restarts, lastRestart, sidecarRestarts, sidecarLastRestart);
    }

    private static bool IsSidecar(JsonNode? container) => JsonTree.GetString(container, "restartPolicy") == "Always";

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == JsonValueKind.True;

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;

    /// <summary>A status timestamp (RFC 3339), or null when absent or unreadable.</summary>
    internal static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
