using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's work for one pod: host ports chosen and published in the host-ports annotation before anything
/// runs, one <see cref="ContainerRunner"/> per container, the pod status written (status subresource) whenever a
/// container's changes, and termination: stop every container within the grace period, write the final status,
/// then delete the pod object for good (grace period 0) as the kubelet does.
/// </summary>
public sealed partial class PodWorker
{
    private readonly KubeApiClient _api;
    private readonly NodeAgentOptions _options;
    private readonly ObjectCache<V1Pod> _cache;
    private readonly ServiceAccountMount? _serviceAccount;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _envFrom;
    private readonly ILogger _logger;
    private readonly EventQueue? _events;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _valueFrom;
    private readonly List<(V1Container Spec, ContainerRunner Runner)> _initRunners = [];
    private readonly List<ContainerRunner> _runners = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private V1Pod _pod;
    private int _terminating;
    private string? _lastWritten;
    private volatile bool _deleteAfterStop;

    /// <param name="serviceAccount">The pod's service-account volume, already written; null when it has none.</param>
    /// <param name="envFrom">Each container's variables from its envFrom, already read (<see cref="EnvFromSources"/>).</param>
    /// <param name="valueFrom">Each container's env valueFrom keys and resources, already read (<see cref="EnvValueFrom"/>).</param>
    public PodWorker(KubeApiClient api, V1Pod pod, NodeAgentOptions options, ObjectCache<V1Pod> cache, ServiceAccountMount? serviceAccount, ILogger logger,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? envFrom = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? valueFrom = null, EventQueue? events = null) =>
        (_api, _pod, _options, _cache, _serviceAccount, _logger, _envFrom, _valueFrom, _events) =
            (api, pod, options, cache, serviceAccount, logger, envFrom ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
                valueFrom ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(), events);

    private IEnumerable<ContainerRunner> AllRunners => _initRunners.Select(i => i.Runner).Concat(_runners);

    public string Uid => _pod.Metadata?.Uid ?? "";

    /// <summary>Completes once every container has stopped after <see cref="BeginTermination"/>.</summary>
    public Task Completion => _completion.Task;

    public bool IsTerminating => Volatile.Read(ref _terminating) == 1;

    public async Task StartAsync(CancellationToken ct)
    {
        var containers = _pod.Spec?.Containers ?? [];
        var inits = (_pod.Spec?.InitContainers ?? []).Select(c => InitContainerSequence.AsRunnable(c, _pod.Spec?.RestartPolicy)).ToList();
        var hostPorts = HostPorts.Allocate(inits.Concat(containers).SelectMany(c => c.Ports ?? []).Select(p => p.ContainerPort));
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [HostPorts.Annotation] = HostPorts.ToAnnotation(hostPorts) } } };
        _pod = await _api.For<V1Pod>().PatchAsync(_pod.Metadata!.Name!, KubePatch.Merge(patch), _pod.Metadata.Namespace, ct).ConfigureAwait(false);
        _cache.Record(_pod);
        var startTime = _options.Time.GetUtcNow();
        // Until the init containers are done, every container waits with the kubelet's PodInitializing.
        var waitingReason = inits.Count > 0 ? "PodInitializing" : "ContainerCreating";
        ContainerRunner NewRunner(V1Container container)
        {
            var log = PodLogs.PathOf(_options.LogDirectory, _pod.Metadata!.Namespace!, _pod.Metadata.Name!, container.Name);
            var (mounts, volumeError) = PodVolumes.Map(_pod, container, Path.GetDirectoryName(log)!);
            var command = volumeError is null
                ? CommandResolver.Resolve(_pod, container, _options.Config, hostPorts, WithServiceAccount(mounts), _serviceAccount?.Env,
                    _envFrom.GetValueOrDefault(container.Name), _valueFrom.GetValueOrDefault(container.Name))
                : ResolvedCommand.Failed("CreateContainerConfigError", volumeError);
            return new ContainerRunner(_pod, container, command, hostPorts, _options, log, () => _changes.Writer.TryWrite(true), _logger, _events, waitingReason);
        }
        _initRunners.AddRange(inits.Select(c => (c, NewRunner(c))));
        _runners.AddRange(containers.Select(NewRunner));
        _ = Task.Run(() => WriteStatusLoopAsync(startTime), CancellationToken.None);
        _ = Task.Run(async () =>
        {
            await RunContainersAsync().ConfigureAwait(false);
            _changes.Writer.TryComplete();
        }, CancellationToken.None);
        LogStarted(_logger, PodView.Key(_pod), HostPorts.ToAnnotation(hostPorts));
    }

    /// <summary>The init containers in order, then the app containers together; sidecars are stopped once the app containers are done.</summary>
    private async Task RunContainersAsync()
    {
        var (initialized, sidecars) = await InitContainerSequence.RunAsync(_initRunners, _options.Time).ConfigureAwait(false);
        if (!initialized)
        {
            // Never to start: their runs end at once, leaving them waiting in PodInitializing as the kubelet does.
            foreach (var runner in _runners)
            {
                runner.RequestStop(TimeSpan.Zero);
            }
        }
        await Task.WhenAll(_runners.Select(r => Task.Run(r.RunAsync, CancellationToken.None))).ConfigureAwait(false);
        foreach (var (_, sidecar) in _initRunners)
        {
            sidecar.RequestStop(TimeSpan.FromSeconds(_pod.Spec?.TerminationGracePeriodSeconds ?? 30));
        }
        await Task.WhenAll(sidecars).ConfigureAwait(false);
    }

    private IReadOnlyDictionary<string, string> WithServiceAccount(IReadOnlyDictionary<string, string> mounts) =>
        _serviceAccount is null ? mounts
            : new Dictionary<string, string>(mounts, StringComparer.Ordinal) { [ServiceAccountVolume.MountPath] = _serviceAccount.Folder };

    /// <summary>
    /// Stops the containers (SIGTERM, SIGKILL after <paramref name="grace"/>); with <paramref name="deletePod"/> the pod
    /// object is then deleted. Called again while terminating, a shorter grace period still shortens the wait.
    /// </summary>
    public void BeginTermination(TimeSpan grace, bool deletePod)
    {
        if (deletePod)
        {
            _deleteAfterStop = true;
        }
        if (Interlocked.Exchange(ref _terminating, 1) == 0)
        {
            LogTerminating(_logger, PodView.Key(_pod), grace);
        }
        foreach (var runner in AllRunners)
        {
            runner.RequestStop(grace);
        }
        if (!AllRunners.Any())
        {
            _changes.Writer.TryComplete();
        }
    }

    private async Task WriteStatusLoopAsync(DateTimeOffset startTime)
    {
        try
        {
            while (await _changes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                _changes.Reader.TryRead(out _);
                // Changes come in bursts (process started, then ready): one write for each burst.
                await Task.Delay(20).ConfigureAwait(false);
                await TryAsync(() => WriteStatusAsync(startTime)).ConfigureAwait(false);
            }
            await TryAsync(() => WriteStatusAsync(startTime)).ConfigureAwait(false);
            if (_deleteAfterStop)
            {
                await TryAsync(DeleteForGoodAsync).ConfigureAwait(false);
            }
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>A failed write is logged and left to the next change or the kubelet's resync; the worker goes on.</summary>
    private async Task TryAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            LogWriteFailed(_logger, PodView.Key(_pod), e.Message);
        }
    }

    private async Task WriteStatusAsync(DateTimeOffset startTime)
    {
        var statuses = _runners.Select(r => r.Status).ToList();
        var initStatuses = _initRunners.Select(i => i.Runner.Status).ToList();
        var done = AllRunners.All(r => r.Done);
        var now = _options.Time.GetUtcNow();
        var current = _cache.Get(_pod.Metadata?.Namespace, _pod.Metadata!.Name!) is { } cached && cached.Metadata?.Uid == Uid ? cached : _pod;
        var status = PodStatusBuilder.Build(current, statuses, done, startTime, now, initStatuses);
        var json = JsonSerializer.Serialize(status, KubeJsonContext.Default.V1PodStatus);
        if (json == _lastWritten)
        {
            return;
        }
        var written = await KubeWrites.UpdateAsync(_api.For<V1Pod>(), current,
            p => p.Metadata?.Uid == Uid ? p with { Status = PodStatusBuilder.Build(p, statuses, done, startTime, now, initStatuses) } : null, status: true, CancellationToken.None).ConfigureAwait(false);
        if (written is not null)
        {
            _lastWritten = json;
            _pod = written;
            _cache.Record(written);
        }
    }

    private async Task DeleteForGoodAsync()
    {
        try
        {
            var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = Uid } };
            await _api.For<V1Pod>().DeleteAsync(_pod.Metadata!.Name!, _pod.Metadata.Namespace, options, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeNotFoundException or KubeConflictException)
        {
            // Already gone, or a new pod of the same name: nothing of ours left to delete.
        }
        _cache.Remove(_pod);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod} started with host ports {Ports}")]
    private static partial void LogStarted(ILogger logger, string pod, string ports);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod} terminating with grace period {Grace}")]
    private static partial void LogTerminating(ILogger logger, string pod, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: writing to the API server failed: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string pod, string error);
}
