using System.ComponentModel;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// One container of a pod as a local process, supervised like the kubelet does: started, probed (readiness drives
/// Ready, liveness failures restart it), restarted by the pod's restartPolicy with CrashLoopBackOff-style exponential
/// backoff (first restart at once, then initial, doubled, capped; reset after a long healthy run) and a restartCount;
/// stopped with SIGTERM, then SIGKILL after the grace period. Its status is always a complete V1ContainerStatus.
/// </summary>
public sealed partial class ContainerRunner
{
    private readonly V1Pod _pod;
    private readonly V1Container _container;
    private readonly ResolvedCommand _command;
    private readonly IReadOnlyDictionary<int, int> _hostPorts;
    private readonly NodeAgentOptions _options;
    private readonly string _logPath;
    private readonly Action _changed;
    private readonly ILogger _logger;
    private readonly EventQueue? _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _graceOver = new();
    private readonly Lock _gate = new();
    private long _killAtMs = long.MaxValue;
    private int _crashes;
    private bool _done;
    private volatile V1ContainerStatus _status;

    public ContainerRunner(V1Pod pod, V1Container container, ResolvedCommand command, IReadOnlyDictionary<int, int> hostPorts,
        NodeAgentOptions options, string logPath, Action changed, ILogger logger, EventQueue? events = null, string waitingReason = "ContainerCreating")
    {
        (_pod, _container, _command, _hostPorts, _options, _logPath, _changed, _logger, _events) = (pod, container, command, hostPorts, options, logPath, changed, logger, events);
        _status = new V1ContainerStatus
        {
            Name = container.Name, Image = container.Image ?? "", ImageID = "", Ready = false, RestartCount = 0, Started = false,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waitingReason } },
        };
    }

    public V1ContainerStatus Status => _status;

    /// <summary>True once the container will not run again (restartPolicy said so, or it was stopped).</summary>
    public bool Done
    {
        get => Volatile.Read(ref _done);
        private set => Volatile.Write(ref _done, value);
    }

    public async Task RunAsync()
    {
        if (!_command.Runnable)
        {
            Set(s => s with { State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = _command.ErrorReason, Message = _command.ErrorMessage } } });
            await WaitForStopAsync().ConfigureAwait(false);
            Done = true;
            return;
        }
        while (!_stopping.IsCancellationRequested)
        {
            var startedAt = _options.Time.GetUtcNow();
            var exit = await RunOnceAsync(startedAt).ConfigureAwait(false);
            var terminated = new V1ContainerStateTerminated
            {
                ExitCode = exit.Code, Reason = exit.Reason ?? (exit.Code == 0 ? "Completed" : "Error"), Message = exit.Message,
                StartedAt = startedAt, FinishedAt = _options.Time.GetUtcNow(), ContainerID = exit.ContainerId,
            };
            var restartPolicy = _container.RestartPolicy ?? _pod.Spec?.RestartPolicy ?? "Always";
            if (_stopping.IsCancellationRequested || restartPolicy == "Never" || (restartPolicy == "OnFailure" && exit.Code == 0))
            {
                Done = true;
                Set(s => s with { Ready = false, Started = false, State = new V1ContainerState { Terminated = terminated } });
                return;
            }
            var delay = NextBackoff(terminated.FinishedAt!.Value - startedAt);
            LogExited(_logger, PodView.Key(_pod), _container.Name, exit.Code, delay);
            if (delay > TimeSpan.Zero)
            {
                _events?.Post(KubeletEvents.BackOff(_pod, _container.Name));
            }
            Set(s => s with
            {
                Ready = false, Started = false, LastState = new V1ContainerState { Terminated = terminated },
                State = delay > TimeSpan.Zero
                    ? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = $"back-off {delay.TotalSeconds:0}s restarting failed container={_container.Name} pod={_pod.Metadata?.Name}_{_pod.Metadata?.Namespace}({_pod.Metadata?.Uid})" } }
                    : new V1ContainerState { Terminated = terminated },
            });
            try
            {
                await Task.Delay(delay, _options.Time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Done = true;
                return;
            }
            Set(s => s with { RestartCount = s.RestartCount + 1 });
        }
        Done = true;
    }

    /// <summary>
    /// Stops the container: SIGTERM, SIGKILL after <paramref name="grace"/>; no restart follows. <see cref="RunAsync"/>
    /// ends once it has. Asked again with a shorter grace period, the shorter one wins, as a second delete does.
    /// </summary>
    public void RequestStop(TimeSpan grace)
    {
        lock (_gate)
        {
            var killAt = Environment.TickCount64 + (long)grace.TotalMilliseconds;
            if (killAt >= _killAtMs)
            {
                return;
            }
            if (_killAtMs == long.MaxValue && _status.State?.Running is not null)
            {
                _events?.Post(KubeletEvents.Killing(_pod, _container.Name));
            }
            _killAtMs = killAt;
            _graceOver.CancelAfter(grace);
        }
        _stopping.Cancel();
    }

    private async Task<(int Code, string? Reason, string? Message, string? ContainerId)> RunOnceAsync(DateTimeOffset startedAt)
    {
        LocalProcess process;
        var runStart = TerminationMessage.LogLength(_logPath);
        try
        {
            process = await LocalProcess.StartAsync(_command.Argv, _command.Env, _logPath).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            return (128, "StartError", $"{_command.Argv[0]}: {e.Message}", null);
        }
        using (process)
        {
            var containerId = $"process://{process.Pid}";
            Set(s => s with
            {
                // A container with a startup probe is neither started nor ready until it succeeds (StartupGate).
                ContainerID = containerId, Started = _container.StartupProbe is null, Ready = _container.StartupProbe is null && _container.ReadinessProbe is null,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = startedAt } },
            });
            _events?.Post(KubeletEvents.Created(_pod, _container.Name));
            _events?.Post(KubeletEvents.Started(_pod, _container.Name));
            using var instance = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var probes = RunProbesAsync(process, instance.Token);
            var exited = process.WaitForExitAsync(CancellationToken.None);
            var stopped = new TaskCompletionSource();
            await using (_stopping.Token.Register(() => stopped.TrySetResult()).ConfigureAwait(false))
            {
                await Task.WhenAny(exited, stopped.Task).ConfigureAwait(false);
            }
            if (_stopping.IsCancellationRequested)
            {
                await process.StopAsync(_graceOver.Token).ConfigureAwait(false);
            }
            var code = await exited.ConfigureAwait(false);
            await instance.CancelAsync().ConfigureAwait(false);
            await Swallow(probes).ConfigureAwait(false);
            return (code, null, TerminationMessage.For(_container.TerminationMessagePolicy, code, _logPath, runStart), containerId);
        }
    }

    private async Task RunProbesAsync(LocalProcess process, CancellationToken ct)
    {
        if (_container.StartupProbe is { } startup)
        {
            var gate = new ProbeLoop(startup, _container, _hostPorts, _command.Env, _options.Time,
                () => _events?.Post(KubeletEvents.Unhealthy(_pod, _container.Name, "Startup", startup)));
            if (!await StartupGate.PassAsync(gate, ct).ConfigureAwait(false))
            {
                // The kubelet kills a container whose startup probe failed as it does one whose liveness probe failed; restartPolicy decides the rest.
                _events?.Post(KubeletEvents.KillingForProbe(_pod, _container.Name, "startup"));
                await process.StopAsync(ProbeKillGrace(startup), CancellationToken.None).ConfigureAwait(false);
                return;
            }
            Set(s => s with { Started = true, Ready = _container.ReadinessProbe is null });
        }
        var loops = new List<Task>();
        if (_container.ReadinessProbe is { } readiness)
        {
            loops.Add(new ProbeLoop(readiness, _container, _hostPorts, _command.Env, _options.Time,
                () => _events?.Post(KubeletEvents.Unhealthy(_pod, _container.Name, "Readiness", readiness))).RunAsync(ok =>
            {
                Set(s => s with { Ready = ok });
                return Task.CompletedTask;
            }, ct));
        }
        if (_container.LivenessProbe is { } liveness)
        {
            loops.Add(new ProbeLoop(liveness, _container, _hostPorts, _command.Env, _options.Time,
                () => _events?.Post(KubeletEvents.Unhealthy(_pod, _container.Name, "Liveness", liveness))).RunAsync(ok =>
                {
                    if (ok)
                    {
                        return Task.CompletedTask;
                    }
                    _events?.Post(KubeletEvents.KillingForProbe(_pod, _container.Name, "liveness"));
                    return process.StopAsync(ProbeKillGrace(liveness), CancellationToken.None);
                }, ct));
        }
        await Task.WhenAll(loops.Select(Swallow)).ConfigureAwait(false);
    }

    private TimeSpan ProbeKillGrace(V1Probe probe) =>
        TimeSpan.FromSeconds(probe.TerminationGracePeriodSeconds ?? _pod.Spec?.TerminationGracePeriodSeconds ?? 30);

    private TimeSpan NextBackoff(TimeSpan ran)
    {
        if (ran >= _options.BackoffReset)
        {
            _crashes = 0;
        }
        var delay = _crashes == 0 ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(_options.MaxRestartBackoff.Ticks, _options.InitialRestartBackoff.Ticks * (1L << Math.Min(_crashes - 1, 20))));
        _crashes++;
        return delay;
    }

    private async Task WaitForStopAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Set(Func<V1ContainerStatus, V1ContainerStatus> change)
    {
        // Probe loops and the run loop both change the status.
        lock (_gate)
        {
            _status = change(_status);
        }
        _changed();
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The container's instance ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod} container {Container} exited with {ExitCode}; restarting after {Delay}")]
    private static partial void LogExited(ILogger logger, string pod, string container, int exitCode, TimeSpan delay);
}
