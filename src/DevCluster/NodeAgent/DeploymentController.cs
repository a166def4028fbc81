using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Deployments to pods (without ReplicaSets: pods are owned by their Deployment and carry the pod-template-hash
/// label): each pass applies one <see cref="RolloutPlan"/> step per Deployment and writes its status through the
/// status subresource when it changed. Level-based: every pass starts from the caches, never from the event.
/// </summary>
public sealed partial class DeploymentController
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly KubeApiClient _api;
    private readonly ObjectCache<V1Deployment> _deployments;
    private readonly ObjectCache<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DeploymentController(KubeApiClient api, ObjectCache<V1Deployment> deployments, ObjectCache<V1Pod> pods, TimeProvider time, ILogger logger) =>
        (_api, _deployments, _pods, _time, _logger) = (api, deployments, pods, time, logger);

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
        var ns = deployment.Metadata!.Namespace!;
        var hash = PodTemplateHash.Of(deployment.Spec.Template);
        var now = _time.GetUtcNow();
        var owned = Owned(deployment);
        if (deployment.Spec.Paused != true)
        {
            var plan = RolloutPlan.Compute(deployment, hash, owned, owned.Any(PodView.IsTerminating), now);
            var pods = _api.For<V1Pod>();
            for (var i = 0; i < plan.Create; i++)
            {
                _pods.Record(await pods.CreateAsync(NewPod(deployment, hash), ns, ct).ConfigureAwait(false));
            }
            foreach (var pod in plan.Delete)
            {
                await DeletePodAsync(pod, now, ct).ConfigureAwait(false);
            }
            owned = Owned(deployment);
        }
        var status = DeploymentStatusBuilder.Build(deployment, hash, owned, now);
        if (Json(status) == Json(deployment.Status))
        {
            return;
        }
        var client = _api.For<V1Deployment>();
        var written = await KubeWrites.UpdateAsync(client, deployment, d => d with { Status = DeploymentStatusBuilder.Build(d, hash, owned, now) }, status: true, ct).ConfigureAwait(false);
        if (written is not null)
        {
            _deployments.Record(written);
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

    private List<V1Pod> Owned(V1Deployment deployment)
    {
        var uid = deployment.Metadata?.Uid;
        return _pods.Items.Where(p => p.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Uid == uid) == true).ToList();
    }

    private static V1Pod NewPod(V1Deployment deployment, string hash)
    {
        var template = deployment.Spec!.Template;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [PodTemplateHash.Label] = hash };
        var suffix = new string(Enumerable.Range(0, 5).Select(_ => SafeAlphabet[RandomNumberGenerator.GetInt32(SafeAlphabet.Length)]).ToArray());
        var owner = new V1OwnerReference
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Name = deployment.Metadata!.Name!, Uid = deployment.Metadata.Uid!,
            Controller = true, BlockOwnerDeletion = true,
        };
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}-{suffix}",
                Namespace = deployment.Metadata.Namespace,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [owner],
            },
            Spec = template.Spec,
        };
    }

    private static string Json(V1DeploymentStatus? status) =>
        status is null ? "" : JsonSerializer.Serialize(status, KubeJsonContext.Default.V1DeploymentStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Namespace}/{Name}: {Error}")]
    private static partial void LogFailed(ILogger logger, string? @namespace, string? name, string error);
}
