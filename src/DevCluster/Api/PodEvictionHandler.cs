using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Disruption;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A pod's `eviction` subresource (POST of a policy/v1 Eviction; what `kubectl drain` uses), in kube-apiserver's steps.
/// A pending, finished or deleting pod skips the budget and is deleted at once (a pending one only as it was read, so
/// it cannot start and turn Ready in between; a conflict is retried). Otherwise its one PodDisruptionBudget decides:
/// an unhealthy pod goes without spending a disruption under `AlwaysAllow`, or under `IfHealthyBudget` while the
/// budget is met, but only as it was read (a pod that turned Ready meanwhile makes it 429, so the client asks again);
/// any other pod spends one, in one atomic write of the budget's status, or gets the budget's 429. The pod then gets
/// the DisruptionTarget condition and is deleted with the eviction's deleteOptions (preconditions, grace period, dry
/// run, which also spares the budget).
/// </summary>
public sealed class PodEvictionHandler
{
    private static readonly ResourceType EvictionType = new("policy", "v1", "Eviction", "pods/eviction", Namespaced: true);

    /// <summary>How often, and how far apart, a budget-free deletion is tried again when the pod changed under it (the real server's EvictionsRetry).</summary>
    private const int ConflictAttempts = 20;
    private static readonly TimeSpan ConflictBackoff = TimeSpan.FromMilliseconds(500);

    private readonly ResourceService _service;
    private readonly TimeProvider _time;

    public PodEvictionHandler(ResourceService service, TimeProvider time) => (_service, _time) = (service, time);

    public static bool Serves(ResourceType type) => type is { Group: "", Kind: "Pod", IsCustom: false };

    public async Task HandleAsync(HttpContext context, ResourceType pods, string ns, string name, CancellationToken ct)
    {
        var (eviction, write) = await SubresourcePost.ReadAsync(context, EvictionType, ns, name, nameMayBeOmitted: false, ct).ConfigureAwait(false);
        var delete = EvictionOptions.Of(eviction, context.Request.Query["dryRun"]);
        var pod = await DeleteSkippingBudgetAsync(pods, ns, name, delete, ct).ConfigureAwait(false);
        if (pod is not null)
        {
            await EvictGuardedAsync(pods, pod, delete, write, ct).ConfigureAwait(false);
        }
        await SubresourcePost.WriteSuccessAsync(context.Response, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the pod when it may skip the budget, retrying when it changed under a precondition this server added;
    /// returns the pod as read when its budget must decide, null when it is deleted.
    /// </summary>
    private async Task<V1Pod?> DeleteSkippingBudgetAsync(ResourceType pods, string ns, string name, DeleteOptions delete, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pod = Read(pods, ns, name);
            if (!EvictionRules.CanIgnoreBudget(pod))
            {
                return pod;
            }
            var guarded = EvictionRules.EnforcesResourceVersion(pod) && delete.PreconditionResourceVersion is null;
            try
            {
                await MarkAndDeleteAsync(pods, ns, name, guarded ? delete with { PreconditionResourceVersion = pod.Metadata?.ResourceVersion } : delete, ct).ConfigureAwait(false);
                return null;
            }
            catch (ApiException e) when (e.Code == 409 && delete.PreconditionResourceVersion is null && attempt < ConflictAttempts)
            {
                await Task.Delay(ConflictBackoff, _time, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task EvictGuardedAsync(ResourceType pods, V1Pod pod, DeleteOptions delete, WriteOptions write, CancellationToken ct)
    {
        var ns = pod.Metadata!.Namespace!;
        var name = pod.Metadata.Name!;
        var budgets = Guarding(ns, pod);
        if (budgets.Count > 1)
        {
            throw new ApiException(500, "", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        var unhealthyGoes = budgets.Count == 1 && EvictionRules.MayDeleteUnhealthy(pod, budgets[0]);
        if (budgets.Count == 1 && !unhealthyGoes)
        {
            await SpendAsync(budgets[0], name, write with { DryRun = delete.DryRun }, ct).ConfigureAwait(false);
        }
        try
        {
            // An unhealthy pod goes only as it was judged: the pod's own version replaces any the client sent.
            await MarkAndDeleteAsync(pods, ns, name, unhealthyGoes ? delete with { PreconditionResourceVersion = pod.Metadata.ResourceVersion } : delete, ct).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409 && EvictionRules.ConflictIsRetryable(unhealthyGoes, delete.PreconditionResourceVersion))
        {
            throw EvictionErrors.StillProcessing(budgets[0].Metadata!.Name!);
        }
    }

    /// <summary>
    /// Adds the DisruptionTarget condition (checking the deleteOptions' preconditions against the pod as stored, in the
    /// eviction's words) and deletes the pod. The condition's write changes the pod's resourceVersion, so a
    /// resourceVersion precondition moves on to the version this write made. A dry run does neither write.
    /// </summary>
    private async Task MarkAndDeleteAsync(ResourceType pods, string ns, string name, DeleteOptions delete, CancellationToken ct)
    {
        if (!delete.DryRun)
        {
            var internalWrite = WriteOptions.Default with { BelowFieldManager = true };
            var marked = await _service.ChangeAsync(pods, ns, name, "status", internalWrite, current =>
            {
                var pod = current.Parse();
                if (delete.PreconditionUid is { Length: > 0 } uid && JsonTree.GetString(pod, "metadata.uid") is var actualUid && uid != actualUid)
                {
                    throw EvictionErrors.UidChanged(name, uid, actualUid ?? "");
                }
                var actual = current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (delete.PreconditionResourceVersion is { Length: > 0 } version && version != actual)
                {
                    throw EvictionErrors.ResourceVersionChanged(name, version, actual);
                }
                return DisruptionTargetCondition.Add(pod, _time.GetUtcNow());
            }, ct).ConfigureAwait(false);
            if (delete.PreconditionResourceVersion is not null)
            {
                delete = delete with { PreconditionResourceVersion = JsonTree.GetString(marked, "metadata.resourceVersion") };
            }
        }
        await _service.DeleteAsync(pods, ns, name, delete, ct).ConfigureAwait(false);
    }

    private V1Pod Read(ResourceType pods, string ns, string name) =>
        JsonSerializer.Deserialize(_service.Get(pods, ns, name), KubeJsonContext.Default.V1Pod)!;

    private List<V1PodDisruptionBudget> Guarding(string ns, V1Pod pod)
    {
        var type = _service.Registry.Find("policy", "v1", "poddisruptionbudgets")!;
        var labels = pod.Metadata?.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : new Dictionary<string, string>();
        return _service.Store.Snapshot.Of(type.StorageKey).Values.Where(b => b.Namespace == ns)
            .Select(b => JsonSerializer.Deserialize(b.Json, KubeJsonContext.Default.V1PodDisruptionBudget)!)
            .Where(b => BudgetSelector.Guards(b, labels)).ToList();
    }

    /// <summary>Checks and decrements the budget inside the store's commit, so two evictions cannot both spend its last disruption.</summary>
    private async Task SpendAsync(V1PodDisruptionBudget seen, string podName, WriteOptions write, CancellationToken ct)
    {
        var type = _service.Registry.Find("policy", "v1", "poddisruptionbudgets")!;
        await _service.ChangeAsync(type, seen.Metadata!.Namespace!, seen.Metadata.Name!, "status", write with { FieldManager = "kube-apiserver" }, current =>
        {
            var obj = current.Parse();
            var budget = obj.Deserialize(KubeJsonContext.Default.V1PodDisruptionBudget)!;
            if (EvictionRules.Refusal(budget) is { } refusal)
            {
                throw refusal;
            }
            var spent = EvictionRules.Spend(budget.Status ?? new V1PodDisruptionBudgetStatus(), podName, _time.GetUtcNow());
            obj["status"] = JsonSerializer.SerializeToNode(spent, KubeJsonContext.Default.V1PodDisruptionBudgetStatus);
            return obj;
        }, ct).ConfigureAwait(false);
    }
}
