using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The pod-facing half of the kubelets of every local node: a <see cref="PodWorker"/> for each pod bound to a node
/// that is up; graceful termination when a pod is deleted (deletionTimestamp, its deletionGracePeriodSeconds);
/// and, when a node goes down, its pods' processes killed and the pods deleted at once so their controllers
/// replace them elsewhere (what the node lifecycle controller's eviction does, without its five-minute wait).
/// </summary>
public sealed partial class Kubelet : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);
    private readonly KubeApiClient _api;
    private readonly NodeAgentOptions _options;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly NodeRegistrar _nodes;
    private readonly ILogger _logger;
    private readonly EventQueue _events;
    private readonly Dictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);

    public Kubelet(KubeApiClient api, NodeAgentOptions options, ObjectCache<V1Pod> pods, NodeRegistrar nodes, ILogger logger, EventQueue events) =>
        (_api, _options, _pods, _nodes, _logger, _events) = (api, options, pods, nodes, logger, events);

    public async Task SyncAsync(CancellationToken ct)
    {
        var ours = _pods.Items.Where(p => _nodes.Owns(p.Spec?.NodeName)).ToList();
        foreach (var pod in ours)
        {
            try
            {
                await SyncPodAsync(pod, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                LogSyncFailed(_logger, PodView.Key(pod), e.Message);
            }
        }
        // Pods deleted without waiting for us (grace period 0): their processes still get their own grace period.
        var present = ours.Select(p => p.Metadata?.Uid ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var (uid, worker) in _workers.Where(w => !present.Contains(w.Key)).ToList())
        {
            worker.BeginTermination(TimeSpan.FromSeconds(30), deletePod: false);
            if (worker.Completion.IsCompleted)
            {
                _workers.Remove(uid);
            }
        }
    }

    private async Task SyncPodAsync(V1Pod pod, CancellationToken ct)
    {
        var uid = pod.Metadata?.Uid ?? "";
        _workers.TryGetValue(uid, out var worker);
        if (!_nodes.IsUp(pod.Spec?.NodeName))
        {
            if (worker is not null)
            {
                worker.BeginTermination(TimeSpan.Zero, deletePod: true);
            }
            else
            {
                await ForceDeleteAsync(pod, ct).ConfigureAwait(false);
            }
            return;
        }
        if (PodView.IsTerminating(pod))
        {
            if (worker is null || worker.Completion.IsCompleted && !worker.IsTerminating)
            {
                // Nothing runs (any more): the kubelet's part of the deletion is done.
                await ForceDeleteAsync(pod, ct).ConfigureAwait(false);
                return;
            }
            worker.BeginTermination(TimeSpan.FromSeconds(pod.Metadata?.DeletionGracePeriodSeconds ?? 30), deletePod: true);
            return;
        }
        if (worker is null && !PodView.IsFinished(pod))
        {
            // Before anything runs, as the kubelet mounts volumes first; a missing ServiceAccount throws and the next pass retries.
            var podDirectory = PodLogs.DirectoryOf(_options.LogDirectory, pod.Metadata!.Namespace!, pod.Metadata.Name!);
            if (await KeyedVolumes.WriteAllAsync(_api, pod, podDirectory, ct).ConfigureAwait(false) is { } mountError)
            {
                // Nothing starts and no worker is kept: the next pass reads the ConfigMaps and Secrets again, as the kubelet retries a mount.
                _events.Post(KubeletEvents.FailedMount(pod, mountError));
                await ReportMountFailureAsync(pod, mountError, ct).ConfigureAwait(false);
                return;
            }
            // Then the containers' envFrom, which the kubelet resolves when it creates each container.
            var (envFrom, envError) = await EnvFromSources.ReadAsync(_api, pod, ct).ConfigureAwait(false);
            if (envError is not null)
            {
                await ReportMountFailureAsync(pod, envError, ct).ConfigureAwait(false);
                return;
            }
            // And env valueFrom's keys and resources, resolved at the same moment.
            var (valueFrom, valueFromError) = await EnvValueFrom.ReadAsync(_api, pod, NodeAllocatable(pod), ct).ConfigureAwait(false);
            if (valueFromError is not null)
            {
                await ReportMountFailureAsync(pod, valueFromError, ct).ConfigureAwait(false);
                return;
            }
            var serviceAccount = await ServiceAccountVolume.MountAsync(_api, pod, podDirectory, ct).ConfigureAwait(false);
            worker = new PodWorker(_api, pod, _options, _pods, serviceAccount, _logger, envFrom, valueFrom, _events);
            // Registered only once started: a start that failed (its host-ports write, or the agent stopping) leaves
            // no worker behind that would keep the next pass from trying again, or the agent's shutdown waiting on it.
            await worker.StartAsync(ct).ConfigureAwait(false);
            _workers[uid] = worker;
        }
    }

    /// <summary>
    /// Every container waits with CreateContainerConfigError and the mount's (or envFrom's) message, so `kubectl get pods` and the
    /// operator see why the pod does not start (the real kubelet says ContainerCreating and only puts the message in a
    /// FailedMount event, which this kubelet records too). Written only when it changes.
    /// </summary>
    private async Task ReportMountFailureAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var now = _options.Time.GetUtcNow();
        var containers = (pod.Spec?.Containers ?? []).Select(c => new V1ContainerStatus
        {
            Name = c.Name, Image = c.Image ?? "", ImageID = "", Ready = false, RestartCount = 0, Started = false,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CreateContainerConfigError", Message = message } },
        }).ToList();
        var status = PodStatusBuilder.Build(pod, containers, allDone: false, now, now);
        if (pod.Status is { } current
            && JsonSerializer.Serialize(status, KubeJsonContext.Default.V1PodStatus) == JsonSerializer.Serialize(current, KubeJsonContext.Default.V1PodStatus))
        {
            return;
        }
        LogMountFailed(_logger, PodView.Key(pod), message);
        var written = await KubeWrites.UpdateAsync(_api.For<V1Pod>(), pod,
            p => p.Metadata?.Uid == pod.Metadata?.Uid ? p with { Status = PodStatusBuilder.Build(p, containers, allDone: false, now, now) } : null,
            status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _pods.Record(written);
        }
    }

    /// <summary>The allocatable resources of the pod's node, as its pool configures them (what NodeStatusBuilder publishes).</summary>
    private IReadOnlyDictionary<string, ResourceQuantity> NodeAllocatable(V1Pod pod) =>
        _nodes.Configured.FirstOrDefault(n => n.Name == pod.Spec?.NodeName).Pool?.Allocatable
            .ToDictionary(r => r.Key, r => ResourceQuantity.Parse(r.Value), StringComparer.Ordinal)
        ?? new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);

    private async Task ForceDeleteAsync(V1Pod pod, CancellationToken ct)
    {
        try
        {
            var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata?.Uid } };
            await _api.For<V1Pod>().DeleteAsync(pod.Metadata!.Name!, pod.Metadata.Namespace, options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeNotFoundException or KubeConflictException)
        {
            // Gone already.
        }
        _pods.Remove(pod);
    }

    /// <summary>Stops every pod's processes (the agent is going away); pod objects stay, as they do when a kubelet stops.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Values)
        {
            worker.BeginTermination(ShutdownGrace, deletePod: false);
        }
        await Task.WhenAll(_workers.Values.Select(w => w.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _workers.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "kubelet: pod {Pod} cannot start: {Error}")]
    private static partial void LogMountFailed(ILogger logger, string pod, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kubelet: pod {Pod}: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string pod, string error);
}
