using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// ReplicaSets to pods: each pass applies one <see cref="ReplicaSetPlan"/> per ReplicaSet (pods named `RS-xxxxx` through
/// generateName, controlled by the ReplicaSet with blockOwnerDeletion) and writes its status through the status
/// subresource when it changed. Level-based: every pass starts from the caches.
/// </summary>
public sealed partial class ReplicaSetController
{
    private readonly KubeApiClient _api;
    private readonly ObjectCache<V1ReplicaSet> _replicaSets;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ReplicaSetController(KubeApiClient api, ObjectCache<V1ReplicaSet> replicaSets, ObjectCache<V1Pod> pods, TimeProvider time, ILogger logger) =>
        (_api, _replicaSets, _pods, _time, _logger) = (api, replicaSets, pods, time, logger);

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
        var plan = ReplicaSetPlan.Compute(rs, Owned(_pods.Items, rs));
        var pods = _api.For<V1Pod>();
        for (var i = 0; i < plan.Create; i++)
        {
            _pods.Record(await pods.CreateAsync(NewPod(rs), rs.Metadata!.Namespace, ct).ConfigureAwait(false));
        }
        foreach (var pod in plan.Delete)
        {
            await DeletePodAsync(pod, now, ct).ConfigureAwait(false);
        }
        var status = ReplicaSetStatusBuilder.Build(rs, Owned(_pods.Items, rs), now);
        if (Json(status) == Json(rs.Status))
        {
            return;
        }
        var written = await KubeWrites.UpdateAsync(_api.For<V1ReplicaSet>(), rs, r => r with { Status = ReplicaSetStatusBuilder.Build(r, Owned(_pods.Items, r), now) }, status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _replicaSets.Record(written);
        }
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

    private static V1Pod NewPod(V1ReplicaSet rs)
    {
        var template = rs.Spec!.Template!;
        var owner = new V1OwnerReference
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rs.Metadata!.Name!, Uid = rs.Metadata.Uid!,
            Controller = true, BlockOwnerDeletion = true,
        };
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = $"{rs.Metadata.Name}-",
                Namespace = rs.Metadata.Namespace,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [owner],
            },
            Spec = template.Spec,
        };
    }

    private static string Json(V1ReplicaSetStatus? status) =>
        status is null ? "" : JsonSerializer.Serialize(status, KubeJsonContext.Default.V1ReplicaSetStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "replicaset {Namespace}/{Name}: {Error}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string? name, string error);
}
