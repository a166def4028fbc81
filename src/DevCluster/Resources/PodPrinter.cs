using System.Globalization;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Resources;

/// <summary>
/// The pod row of `kubectl get pods` as the real server's printer writes it: READY counts running, ready containers;
/// STATUS is the phase unless a container says more (its waiting or terminated reason, such as CrashLoopBackOff,
/// ErrImagePull or Completed, else Signal:N or ExitCode:N), Terminating once deletion started; RESTARTS adds when the
/// last restart was ("2 (5s ago)"). Pure.
/// </summary>
public static class PodPrinter
{
    public static string Ready(JsonObject pod) =>
        $"{Containers(pod).Ready}/{((JsonTree.Get(pod, "spec.containers") as JsonArray)?.Count ?? 0) + PodInitPrinter.Sidecars(pod)}";

    public static string Status(JsonObject pod) => Containers(pod).Reason;

    public static string Restarts(JsonObject pod, DateTimeOffset now)
    {
        var (_, _, restarts, lastRestart) = Containers(pod);
        return restarts != 0 && lastRestart is { } at
            ? $"{restarts.ToString(CultureInfo.InvariantCulture)} ({Api.TableConverter.HumanDuration(now - at)} ago)"
            : restarts.ToString(CultureInfo.InvariantCulture);
    }

    private static (int Ready, string Reason, long Restarts, DateTimeOffset? LastRestart) Containers(JsonObject pod)
    {
        var phase = JsonTree.GetString(pod, "status.phase") ?? "";
        var reason = JsonTree.GetString(pod, "status.reason") is { Length: > 0 } podReason ? podReason : phase;
        var conditions = JsonTree.Get(pod, "status.conditions") as JsonArray ?? [];
        if (conditions.Any(c => JsonTree.GetString(c, "type") == "PodScheduled" && JsonTree.GetString(c, "reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }
        // Init containers first: while one holds the pod back, its state is the STATUS and app containers are not looked at.
        var init = PodInitPrinter.Read(pod);
        reason = init.Reason ?? reason;
        var ready = init.ReadySidecars;
        var (restarts, lastRestart) = (init.Restarts, init.LastRestart);
        var initialized = init.Reason is null || conditions.Any(c => JsonTree.GetString(c, "type") == "Initialized" && JsonTree.GetString(c, "status") == "True");
        if (initialized)
        {
            (restarts, lastRestart) = (init.SidecarRestarts, init.SidecarLastRestart);
        }
        var hasRunning = false;
        var statuses = initialized ? JsonTree.Get(pod, "status.containerStatuses") as JsonArray ?? [] : [];
        // Last to first, as the real printer goes: the first container's state has the last word.
        for (var i = statuses.Count - 1; i >= 0; i--)
        {
            var status = statuses[i];
            restarts += JsonTree.GetLong(status, "restartCount") ?? 0;
            if (PodInitPrinter.Time(JsonTree.GetString(status, "lastState.terminated.finishedAt")) is { } finished && (lastRestart is null || finished > lastRestart))
            {
                lastRestart = finished;
            }
            if (JsonTree.GetString(status, "state.waiting.reason") is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (JsonTree.Get(status, "state.terminated") is JsonObject terminated)
            {
                reason = JsonTree.GetString(terminated, "reason") is { Length: > 0 } why ? why
                    : JsonTree.GetLong(terminated, "signal") is { } signal and not 0 ? $"Signal:{signal.ToString(CultureInfo.InvariantCulture)}"
                    : $"ExitCode:{(JsonTree.GetLong(terminated, "exitCode") ?? 0).ToString(CultureInfo.InvariantCulture)}";
            }
            else if (JsonTree.Get(status, "ready")?.GetValueKind() == System.Text.Json.JsonValueKind.True && JsonTree.Get(status, "state.running") is not null)
            {
                hasRunning = true;
                ready++;
            }
        }
        if (reason == "Completed" && hasRunning)
        {
            reason = conditions.Any(c => JsonTree.GetString(c, "type") == "Ready" && JsonTree.GetString(c, "status") == "True") ? "Running" : "NotReady";
        }
        if (JsonTree.Get(pod, "metadata.deletionTimestamp") is not null)
        {
            reason = JsonTree.GetString(pod, "status.reason") == "NodeLost" ? "Unknown" : phase is "Succeeded" or "Failed" ? reason : "Terminating";
        }
        return (ready, reason, restarts, lastRestart);
    }
}
