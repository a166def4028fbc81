using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Deployments to ReplicaSets, as kube-controller-manager's deployment controller: it claims the ReplicaSets it controls
/// (adopting orphans its selector matches), finds the one running its template (`DEPLOY-HASH`, the pod-template-hash
/// label added to its selector and template) or creates it, keeps revisions (<see cref="DeploymentRevisions"/>), applies
/// one <see cref="RolloutPlan"/> step, deletes old ReplicaSets beyond revisionHistoryLimit once the rollout is complete,
/// and writes its status through the status subresource when it changed. The ReplicaSet controller makes the pods.
/// Level-based: every pass starts from the caches, never from the event.
/// </summary>
public sealed partial class DeploymentController
{
    private readonly KubeApiClient _api;
    private readonly ObjectCache<V1Deployment> _deployments;
    private readonly ObjectCache<V1ReplicaSet> _replicaSets;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EventQueue _events;

    public DeploymentController(KubeApiClient api, ObjectCache<V1Deployment> deployments, ObjectCache<V1ReplicaSet> replicaSets, ObjectCache<V1Pod> pods, TimeProvider time, ILogger logger,
        EventQueue events) =>
        (_api, _deployments, _replicaSets, _pods, _time, _logger, _events) = (api, deployments, replicaSets, pods, time, logger, events);

    public async Task ReconcileAllAsync(CancellationToken ct)
    {
        foreach (var deployment in _deployments.Items)
        {
            try
            {
                await ReconcileAsync(deployment, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or FormatException)
            {
                LogFailed(_logger, deployment.Metadata?.Namespace, deployment.Metadata?.Name, e.Message);
            }
        }
    }

    private async Task ReconcileAsync(V1Deployment deployment, CancellationToken ct)
    {
        if (deployment.Metadata?.DeletionTimestamp is not null || deployment.Spec?.Template is null)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var owned = await ClaimAsync(deployment, ct).ConfigureAwait(false);
        var newRs = DeploymentRevisions.FindNew(deployment, owned);
        var old = owned.Where(rs => rs != newRs).ToList();
        var revision = DeploymentRevisions.Next(old);
        if (newRs is not null)
        {
            newRs = await SyncNewAsync(deployment, newRs, revision, ct).ConfigureAwait(false);
        }
        var oldPods = old.SelectMany(rs => ReplicaSetController.Owned(_pods.Items, rs));
        var oldPodsRunning = old.Any(rs => (rs.Status?.Replicas ?? 0) > 0) || oldPods.Any(p => !PodView.IsFinished(p));
        var plan = RolloutPlan.Compute(deployment, newRs, old, oldPodsRunning);
        var created = false;
        if (plan.CreateNew is { } size)
        {
            newRs = await CreateAsync(deployment, size, revision, ct).ConfigureAwait(false);
            if (newRs is null)
            {
                // A hash collision raised collisionCount; that status write wakes the next pass, which uses the new name.
                return;
            }
            created = true;
        }
        foreach (var (name, replicas) in plan.Scale)
        {
            // The cache's version: the new ReplicaSet may have been written above.
            if (_replicaSets.Get(deployment.Metadata!.Namespace, name) is { } rs)
            {
                await ScaleAsync(deployment, rs, replicas, ct).ConfigureAwait(false);
            }
        }
        if (newRs is not null)
        {
            deployment = await SyncRevisionAsync(deployment, DeploymentRevisions.Of(newRs.Metadata), ct).ConfigureAwait(false) ?? deployment;
        }
        // The real controller cleans up only when nothing is rolling: paused, or the last rollout complete.
        if (plan.ScalingOnly ? deployment.Spec!.Paused == true : IsComplete(deployment))
        {
            foreach (var rs in DeploymentRevisions.BeyondHistory(deployment, old))
            {
                await DeleteReplicaSetAsync(rs, ct).ConfigureAwait(false);
            }
        }
        await WriteStatusAsync(deployment, newRs?.Metadata?.Name, created, !plan.ScalingOnly, now, ct).ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(V1Deployment deployment, string? newRsName, bool created, bool rollout, DateTimeOffset now, CancellationToken ct)
    {
        var all = Owned(deployment);
        var newRs = all.FirstOrDefault(rs => rs.Metadata?.Name == newRsName);
        var status = DeploymentStatusBuilder.Build(deployment, newRs, all, created, rollout, now);
        if (Json(status) == Json(deployment.Status))
        {
            return;
        }
        var written = await KubeWrites.UpdateAsync(_api.For<V1Deployment>(), deployment,
            d => d with { Status = DeploymentStatusBuilder.Build(d, newRs, all, created, rollout, now) }, status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _deployments.Record(written);
        }
    }

    /// <summary>DeploymentComplete over the status last written: every replica updated and available, the generation seen.</summary>
    private static bool IsComplete(V1Deployment deployment)
    {
        var replicas = deployment.Spec?.Replicas ?? 1;
        return deployment.Status is { } s && s.UpdatedReplicas == replicas && s.Replicas == replicas && s.AvailableReplicas == replicas
            && s.ObservedGeneration >= (deployment.Metadata?.Generation ?? 0);
    }

    /// <summary>The ReplicaSets this Deployment controls, orphans its selector matches adopted and ones that stopped matching released (as ClaimReplicaSets does).</summary>
    private async Task<List<V1ReplicaSet>> ClaimAsync(V1Deployment deployment, CancellationToken ct)
    {
        var claims = ControllerClaims<V1ReplicaSet>.Compute(deployment.Metadata!, deployment.Spec!.Selector, _replicaSets.Items);
        await ClaimWrites.ApplyAsync(_api.For<V1ReplicaSet>(), _replicaSets, claims, OwnerOf(deployment), (rs, meta) => rs with { Metadata = meta }, ct).ConfigureAwait(false);
        return Owned(deployment);
    }

    private List<V1ReplicaSet> Owned(V1Deployment deployment)
    {
        var uid = deployment.Metadata?.Uid;
        return _replicaSets.Items.Where(rs => rs.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == uid) == true).ToList();
    }

    /// <summary>A found new ReplicaSet (a rollback's old one included) gets its revision, the Deployment's annotations and minReadySeconds.</summary>
    private async Task<V1ReplicaSet> SyncNewAsync(V1Deployment deployment, V1ReplicaSet newRs, long revision, CancellationToken ct)
    {
        var written = await KubeWrites.UpdateAsync(_api.For<V1ReplicaSet>(), newRs, rs =>
        {
            var annotations = DeploymentRevisions.ForNewReplicaSet(deployment, rs.Metadata?.Annotations?.AsReadOnly(), revision, created: false);
            var same = annotations.Count == (rs.Metadata?.Annotations?.Count ?? 0) && annotations.All(a => rs.Metadata?.Annotations.Find(a.Key) == a.Value);
            return same && rs.Spec!.MinReadySeconds == deployment.Spec!.MinReadySeconds ? null
                : rs with { Metadata = rs.Metadata! with { Annotations = annotations }, Spec = rs.Spec! with { MinReadySeconds = deployment.Spec!.MinReadySeconds } };
        }, status: false, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _replicaSets.Record(written);
        }
        return written ?? newRs;
    }

    private async Task<V1Deployment?> SyncRevisionAsync(V1Deployment deployment, long revision, CancellationToken ct)
    {
        var text = revision.ToString(CultureInfo.InvariantCulture);
        var written = await KubeWrites.UpdateAsync(_api.For<V1Deployment>(), deployment, d => d.Metadata?.Annotations.Find(DeploymentRevisions.Revision) == text ? null
            : d with { Metadata = d.Metadata! with { Annotations = new Dictionary<string, string>(d.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [DeploymentRevisions.Revision] = text } } },
            status: false, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _deployments.Record(written);
        }
        return written;
    }

    private async Task<V1ReplicaSet?> CreateAsync(V1Deployment deployment, int replicas, long revision, CancellationToken ct)
    {
        var rs = ReplicaSetFor(deployment, replicas, revision);
        var client = _api.For<V1ReplicaSet>();
        try
        {
            var created = await client.CreateAsync(rs, deployment.Metadata!.Namespace, ct).ConfigureAwait(false);
            _replicaSets.Record(created);
            if (replicas > 0)
            {
                _events.Post(DeploymentEvents.ScalingReplicaSet(deployment, created.Metadata!.Name!, 0, replicas));
            }
            return created;
        }
        catch (KubeAlreadyExistsException)
        {
            // Ours, not yet in the cache; anything else is a hash collision, resolved under a new name.
            var existing = await client.TryGetAsync(rs.Metadata!.Name!, deployment.Metadata!.Namespace, ct).ConfigureAwait(false);
            if (existing is not null && HashCollision.IsOwn(deployment, existing))
            {
                _replicaSets.Record(existing);
                return existing;
            }
            var count = HashCollision.NextCollisionCount(deployment.Status);
            var written = await KubeWrites.UpdateAsync(_api.For<V1Deployment>(), deployment,
                d => d with { Status = (d.Status ?? new V1DeploymentStatus()) with { CollisionCount = HashCollision.NextCollisionCount(d.Status) } }, status: true, ct).ConfigureAwait(false);
            if (written is not null)
            {
                _deployments.Record(written);
                LogCollision(_logger, deployment.Metadata.Namespace, deployment.Metadata.Name, count - 1, count);
            }
            return null;
        }
    }

    /// <summary>The new ReplicaSet: the template with the pod-template-hash label, which its selector also requires.</summary>
    public static V1ReplicaSet ReplicaSetFor(V1Deployment deployment, int replicas, long revision)
    {
        var template = deployment.Spec!.Template;
        var hash = PodTemplateHash.Of(template, deployment.Status?.CollisionCount);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [PodTemplateHash.Label] = hash };
        var selector = deployment.Spec.Selector;
        return new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata!.Name}-{hash}",
                Namespace = deployment.Metadata.Namespace,
                Labels = labels,
                Annotations = DeploymentRevisions.ForNewReplicaSet(deployment, null, revision, created: true),
                OwnerReferences = [OwnerOf(deployment)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                MinReadySeconds = deployment.Spec.MinReadySeconds,
                Selector = selector with { MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [PodTemplateHash.Label] = hash } },
                Template = template with { Metadata = (template.Metadata ?? new V1ObjectMeta()) with { Labels = labels } },
            },
        };
    }

    private async Task ScaleAsync(V1Deployment deployment, V1ReplicaSet rs, int replicas, CancellationToken ct)
    {
        var written = await KubeWrites.UpdateAsync(_api.For<V1ReplicaSet>(), rs, r =>
        {
            var annotations = DeploymentRevisions.WithReplicas(r.Metadata?.Annotations?.AsReadOnly(), deployment);
            var same = r.Spec?.Replicas == replicas && annotations.All(a => r.Metadata?.Annotations.Find(a.Key) == a.Value);
            return same ? null : r with { Metadata = r.Metadata! with { Annotations = annotations }, Spec = r.Spec! with { Replicas = replicas } };
        }, status: false, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _replicaSets.Record(written);
            if ((rs.Spec?.Replicas ?? 1) != replicas)
            {
                _events.Post(DeploymentEvents.ScalingReplicaSet(deployment, rs.Metadata!.Name!, rs.Spec?.Replicas ?? 1, replicas));
            }
        }
    }

    private async Task DeleteReplicaSetAsync(V1ReplicaSet rs, CancellationToken ct)
    {
        try
        {
            await _api.For<V1ReplicaSet>().DeleteAsync(rs.Metadata!.Name!, rs.Metadata.Namespace, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = rs.Metadata.Uid } }, ct).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            // Already gone.
        }
        _replicaSets.Remove(rs);
    }

    private static V1OwnerReference OwnerOf(V1Deployment deployment) => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment.Metadata!.Name!, Uid = deployment.Metadata.Uid!,
        Controller = true, BlockOwnerDeletion = true,
    };

    private static string Json(V1DeploymentStatus? status) =>
        status is null ? "" : JsonSerializer.Serialize(status, KubeJsonContext.Default.V1DeploymentStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Namespace}/{Name}: {Error}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string? name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "deployment {Namespace}/{Name}: found a hash collision - bumping collisionCount ({Before}->{After}) to resolve it")]
    private static partial void LogCollision(ILogger logger, string? @namespace, string? name, int before, int after);
}
