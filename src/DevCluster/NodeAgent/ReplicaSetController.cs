using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// ReplicaSets to pods: each pass claims pods (<see cref="ControllerClaims{T}"/>: orphans the selector matches adopted,
/// its own that stopped matching released), applies one <see cref="ReplicaSetPlan"/> per ReplicaSet (pods named
/// `RS-xxxxx` through generateName, controlled by the ReplicaSet with blockOwnerDeletion, created in
/// <see cref="CreateBatches"/>; a failure sets ReplicaFailure and backs that ReplicaSet off) and writes its status
/// through the status subresource when it changed. Level-based: every pass starts from the caches.
/// </summary>
public sealed partial class ReplicaSetController
{
    private readonly KubeApiClient _api;
    private readonly ObjectCache<V1ReplicaSet> _replicaSets;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FailureBackoff _backoff;
    private readonly EventQueue _events;

    public ReplicaSetController(KubeApiClient api, ObjectCache<V1ReplicaSet> replicaSets, ObjectCache<V1Pod> pods, TimeProvider time, ILogger logger, EventQueue events) =>
        (_api, _replicaSets, _pods, _time, _logger, _backoff, _events) = (api, replicaSets, pods, time, logger, new FailureBackoff(time), events);

    public async Task ReconcileAllAsync(CancellationToken ct)
    {
        foreach (var rs in _replicaSets.Items)
        {
            try
            {
                await ReconcileAsync(rs, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or FormatException)
            {
                LogFailed(_logger, rs.Metadata?.Namespace, rs.Metadata?.Name, e.Message);
            }
        }
    }

    /// <summary>The pods a ReplicaSet controls (by uid), finished and terminating ones included.</summary>
    public static List<V1Pod> Owned(IEnumerable<V1Pod> pods, V1ReplicaSet rs)
    {
        var uid = rs.Metadata?.Uid;
        return pods.Where(p => p.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == uid) == true).ToList();
    }

    private async Task ReconcileAsync(V1ReplicaSet rs, CancellationToken ct)
    {
        // One being deleted is left to the garbage collector, which removes its pods.
        if (rs.Metadata?.DeletionTimestamp is not null || rs.Spec?.Template is null)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var claims = ControllerClaims<V1Pod>.Compute(rs.Metadata!, rs.Spec.Selector, _pods.Items.Where(PodView.IsActive));
        if (claims.Adopt.Count == 0 || await IsStillLiveAsync(rs, ct).ConfigureAwait(false))
        {
            await ClaimWrites.ApplyAsync(_api.For<V1Pod>(), _pods, claims, OwnerOf(rs), (pod, meta) => pod with { Metadata = meta }, ct).ConfigureAwait(false);
        }
        ReplicaFailureCondition.Outcome? outcome = null;
        var generation = rs.Metadata!.Generation ?? 0;
        if (_backoff.IsReady(rs.Metadata.Uid!, generation))
        {
            outcome = await ManageAsync(rs, now, ct).ConfigureAwait(false);
            _backoff.Record(rs.Metadata.Uid!, generation, outcome.Error is null);
            if (outcome.Error is { } error)
            {
                LogFailed(_logger, rs.Metadata.Namespace, rs.Metadata.Name, $"{outcome.Reason}: {error}");
            }
        }
        V1ReplicaSetStatus StatusOf(V1ReplicaSet r) => ReplicaSetStatusBuilder.Build(r, Owned(_pods.Items, r), now) with
        {
            Conditions = ReplicaFailureCondition.ForReplicaSet(r.Status?.Conditions, outcome, now),
        };
        var status = StatusOf(rs);
        if (Json(status) == Json(rs.Status))
        {
            return;
        }
        var written = await KubeWrites.UpdateAsync(_api.For<V1ReplicaSet>(), rs, r => r with { Status = StatusOf(r) }, status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _replicaSets.Record(written);
        }
    }

    /// <summary>One <see cref="ReplicaSetPlan"/> step: missing pods in <see cref="CreateBatches"/>, then the deletions; the first failure is the outcome.</summary>
    private async Task<ReplicaFailureCondition.Outcome> ManageAsync(V1ReplicaSet rs, DateTimeOffset now, CancellationToken ct)
    {
        var plan = ReplicaSetPlan.Compute(rs, Owned(_pods.Items, rs));
        var pods = _api.For<V1Pod>();
        var (_, failure) = await CreateBatches.RunAsync(plan.Create,
            async c => _pods.Record(await ReplicaSetEvents.CreateRecordedAsync(_events, rs, () => pods.CreateAsync(NewPod(rs), rs.Metadata!.Namespace, c)).ConfigureAwait(false)),
            ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return ReplicaFailureCondition.Outcome.Failed(ReplicaFailureCondition.FailedCreate, failure);
        }
        foreach (var pod in plan.Delete)
        {
            try
            {
                await DeletePodAsync(pod, now, ct).ConfigureAwait(false);
                _events.Post(ReplicaSetEvents.SuccessfulDelete(rs, pod));
            }
            catch (KubeApiException e)
            {
                _events.Post(ReplicaSetEvents.FailedDelete(rs, e.Status?.Message ?? e.Message));
                return ReplicaFailureCondition.Outcome.Failed(ReplicaFailureCondition.FailedDelete, e);
            }
        }
        return ReplicaFailureCondition.Outcome.Succeeded;
    }

    /// <summary>RecheckDeletionTimestamp: before adopting, a fresh read proves the ReplicaSet is still there and not being deleted.</summary>
    private async Task<bool> IsStillLiveAsync(V1ReplicaSet rs, CancellationToken ct)
    {
        var fresh = await _api.For<V1ReplicaSet>().TryGetAsync(rs.Metadata!.Name!, rs.Metadata.Namespace, ct).ConfigureAwait(false);
        return fresh?.Metadata is { DeletionTimestamp: null } meta && meta.Uid == rs.Metadata.Uid;
    }

    private async Task DeletePodAsync(V1Pod pod, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var precondition = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = pod.Metadata?.Uid } };
            await _api.For<V1Pod>().DeleteAsync(pod.Metadata!.Name!, pod.Metadata.Namespace, precondition, ct).ConfigureAwait(false);
            // Seen as terminating at once; the watch brings the server's own version (or the deletion) next.
            _pods.Record(pod with { Metadata = pod.Metadata with { DeletionTimestamp = now } });
        }
        catch (KubeNotFoundException)
        {
            _pods.Remove(pod);
        }
    }

    private static V1OwnerReference OwnerOf(V1ReplicaSet rs) => new()
    {
        ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rs.Metadata!.Name!, Uid = rs.Metadata.Uid!,
        Controller = true, BlockOwnerDeletion = true,
    };

    private static V1Pod NewPod(V1ReplicaSet rs)
    {
        var template = rs.Spec!.Template!;
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = $"{rs.Metadata!.Name}-",
                Namespace = rs.Metadata.Namespace,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [OwnerOf(rs)],
            },
            Spec = template.Spec,
        };
    }

    private static string Json(V1ReplicaSetStatus? status) =>
        status is null ? "" : JsonSerializer.Serialize(status, KubeJsonContext.Default.V1ReplicaSetStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replicaset {Namespace}/{Name}: {Error}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string? name, string error);
}
