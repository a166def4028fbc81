using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Disruption;
using RecOperator.DevCluster.NodeAgent;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Validation;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// A pod's `eviction` subresource (POST of a policy/v1 Eviction; what `kubectl drain` uses): a pod that is pending,
/// finished or already deleting, or that no budget guards, is deleted at once. Otherwise its one PodDisruptionBudget
/// must allow a disruption: the budget's status is decremented and the pod recorded in disruptedPods in one atomic
/// write, and then the pod is deleted with the eviction's deleteOptions; a spent or stale budget is 429 in the real
/// server's words, with a DisruptionBudget cause, which drain retries. A pod that is not Ready does not spend the budget
/// while the budget is met (the default IfHealthyBudget policy) or under AlwaysAllow.
/// </summary>
public sealed class PodEvictionHandler
{
    private const string Refused = "Cannot evict pod as it would violate the pod's disruption budget.";
    private static readonly ResourceType EvictionType = new("policy", "v1", "Eviction", "pods/eviction", Namespaced: true);
    private readonly ResourceService _service;
    private readonly TimeProvider _time;

    public PodEvictionHandler(ResourceService service, TimeProvider time) => (_service, _time) = (service, time);

    public static bool Serves(ResourceType type) => type is { Group: "", Kind: "Pod", IsCustom: false };

    public async Task HandleAsync(HttpContext context, ResourceType pods, string ns, string name, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var eviction = HttpIo.ParseObject(context.Request, await HttpIo.ReadBodyAsync(context.Request, ct).ConfigureAwait(false));
        if (JsonTree.GetString(eviction, "metadata.name") is { Length: > 0 } evictionName && evictionName != name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }
        var write = RequestOptions.WriteOptionsOf(context.Request);
        var delete = DeleteOptionsOf(eviction, write.DryRun);
        var pod = JsonSerializer.Deserialize(_service.Get(pods, ns, name), KubeJsonContext.Default.V1Pod)!;
        if (!CanIgnoreBudget(pod))
        {
            var budgets = Guarding(ns, pod);
            if (budgets.Count > 1)
            {
                throw new ApiException(500, "", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }
            if (budgets.Count == 1 && !UnhealthyMayGo(pod, budgets[0]))
            {
                await SpendAsync(budgets[0], name, write, ct).ConfigureAwait(false);
            }
        }
        await _service.DeleteAsync(pods, ns, name, delete, ct).ConfigureAwait(false);
        await HttpIo.WriteJsonAsync(context.Response, 201, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Pods whose deletion disrupts nothing: not started, finished, or already on their way out.</summary>
    private static bool CanIgnoreBudget(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Phase is "Pending" or "Succeeded" or "Failed" or null;

    private static bool UnhealthyMayGo(V1Pod pod, V1PodDisruptionBudget budget)
    {
        if (PodView.IsReady(pod))
        {
            return false;
        }
        var status = budget.Status;
        return budget.Spec?.UnhealthyPodEvictionPolicy == "AlwaysAllow"
            || (status?.CurrentHealthy >= status?.DesiredHealthy && status?.DesiredHealthy > 0);
    }

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
        var budgetName = seen.Metadata!.Name!;
        await _service.ChangeAsync(type, seen.Metadata.Namespace!, budgetName, "status", write with { FieldManager = write.FieldManager ?? "kube-apiserver" }, current =>
        {
            var obj = current.Parse();
            var budget = obj.Deserialize(KubeJsonContext.Default.V1PodDisruptionBudget)!;
            var status = budget.Status ?? new V1PodDisruptionBudgetStatus();
            if ((status.ObservedGeneration ?? 0) < (budget.Metadata?.Generation ?? 0))
            {
                throw TooManyRequests($"The disruption budget {budgetName} is still being processed by the server.");
            }
            if ((status.DisruptionsAllowed ?? 0) <= 0)
            {
                throw TooManyRequests($"The disruption budget {budgetName} needs {status.DesiredHealthy ?? 0} healthy pods and has {status.CurrentHealthy ?? 0} currently");
            }
            var allowed = status.DisruptionsAllowed!.Value - 1;
            var now = _time.GetUtcNow();
            var disrupted = new Dictionary<string, DateTimeOffset>(status.DisruptedPods ?? new Dictionary<string, DateTimeOffset>(), StringComparer.Ordinal)
            {
                [podName] = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
            };
            status = status with
            {
                DisruptionsAllowed = allowed,
                DisruptedPods = disrupted,
                // Only the last disruption changes the condition; its reason is the controller's until then.
                Conditions = allowed == 0 ? BudgetCondition.Set(status.Conditions, false, "InsufficientPods", "", status.ObservedGeneration, now) : status.Conditions,
            };
            obj["status"] = JsonSerializer.SerializeToNode(status, KubeJsonContext.Default.V1PodDisruptionBudgetStatus);
            return obj;
        }, ct).ConfigureAwait(false);
    }

    private static ApiException TooManyRequests(string cause) => new(429, "TooManyRequests", Refused, new JsonObject
    {
        ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }),
    });

    /// <summary>The Eviction's deleteOptions (grace period, preconditions); a dry run of the eviction is a dry run of the deletion.</summary>
    private static DeleteOptions DeleteOptionsOf(JsonObject eviction, bool dryRun)
    {
        var options = JsonTree.Get(eviction, "deleteOptions") as JsonObject ?? [];
        return new DeleteOptions(
            JsonTree.GetString(options, "propagationPolicy") ?? "Background",
            JsonTree.GetString(options, "preconditions.uid"),
            JsonTree.GetString(options, "preconditions.resourceVersion"),
            dryRun || (JsonTree.Get(options, "dryRun") as JsonArray ?? []).Count > 0,
            JsonTree.GetLong(options, "gracePeriodSeconds"));
    }
}
