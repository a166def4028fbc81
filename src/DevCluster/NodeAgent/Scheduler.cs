using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Binds pending pods to nodes by <see cref="PodPlacement"/>. A pod that fits nowhere gets PodScheduled=False with
/// reason Unschedulable and the scheduler's message, and is tried again on every pass (each node or pod change).
/// Pods go oldest first, and each binding counts at once against its node, so one pass never overcommits it.
/// </summary>
public sealed partial class Scheduler
{
    private readonly KubeApiClient _api;
    private readonly ObjectCache<V1Node> _nodes;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventQueue _events;

    public Scheduler(KubeApiClient api, ObjectCache<V1Node> nodes, ObjectCache<V1Pod> pods, TimeProvider time, ILogger logger, EventQueue events) =>
        (_api, _nodes, _pods, _time, _logger, _events) = (api, nodes, pods, time, logger, events);

    public async Task ScheduleAllAsync(CancellationToken ct)
    {
        var pending = _pods.Items
            .Where(p => string.IsNullOrEmpty(p.Spec?.NodeName) && PodView.IsActive(p) && p.Spec?.SchedulerName is null or "default-scheduler")
            .OrderBy(p => p.Metadata?.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ToList();
        foreach (var pod in pending)
        {
            try
            {
                var decision = PodPlacement.Decide(pod, _nodes.Items, _pods.Items);
                await (decision.Scheduled ? BindAsync(pod, decision.NodeName!, ct) : MarkUnschedulableAsync(pod, decision.Message, ct)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                LogFailed(_logger, PodView.Key(pod), e.Message);
            }
        }
    }

    /// <summary>
    /// Binds through the pod's binding subresource, as kube-scheduler does: the server sets spec.nodeName (which an
    /// update may not change) and PodScheduled=True in one write. The uid precondition keeps a binding meant for a pod
    /// from landing on a new pod of the same name. The bound pod is recorded at once, so the rest of this pass counts it
    /// against its node; the watch then brings what the server stored.
    /// </summary>
    private async Task BindAsync(V1Pod pod, string node, CancellationToken ct)
    {
        var binding = new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = pod.Metadata!.Name, Namespace = pod.Metadata.Namespace, Uid = pod.Metadata.Uid },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        try
        {
            await _api.For<V1Pod>().CreateSubresourceAsync(pod.Metadata.Name!, "binding", binding, KubeJsonContext.Default.V1Binding, pod.Metadata.Namespace, ct).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            _pods.Remove(pod);
            return;
        }
        var now = _time.GetUtcNow();
        _pods.Record(pod with
        {
            Spec = pod.Spec! with { NodeName = node },
            Status = (pod.Status ?? new V1PodStatus()) with { Conditions = WithCondition(pod, new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now }) },
        });
        LogBound(_logger, PodView.Key(pod), node);
        _events.Post(SchedulerEvents.Scheduled(pod, node));
    }

    private async Task MarkUnschedulableAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var written = await KubeWrites.UpdateAsync(_api.For<V1Pod>(), pod, p => string.IsNullOrEmpty(p.Spec?.NodeName) ? p with
        {
            Status = (p.Status ?? new V1PodStatus()) with
            {
                Phase = "Pending",
                Conditions = WithCondition(p, new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message, LastTransitionTime = now }),
            },
        } : null, status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _pods.Record(written);
            // Once per new message, not per pass: a pod that fits nowhere is tried on every node agent pass.
            _events.Post(SchedulerEvents.FailedScheduling(written, message));
        }
    }

    private static List<V1PodCondition> WithCondition(V1Pod pod, V1PodCondition condition)
    {
        var others = pod.Status?.Conditions?.Where(c => c.Type != condition.Type) ?? [];
        var previous = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
        var kept = previous?.Status == condition.Status ? condition with { LastTransitionTime = previous.LastTransitionTime ?? condition.LastTransitionTime } : condition;
        return [kept, .. others];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod} bound to {Node}")]
    private static partial void LogBound(ILogger logger, string pod, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scheduling {Pod} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string pod, string error);
}
