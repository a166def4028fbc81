using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Lifecycle;
using RecOperator.DevCluster.Resources;
using RecOperator.Kube;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Disruption;

/// <summary>
/// kube-controller-manager's disruption controller, in-process like the garbage collector: woken by writes of pods,
/// budgets and workloads (and every few seconds, so recorded evictions expire), it re-reads the store and writes each
/// PodDisruptionBudget's status (<see cref="BudgetStatusBuilder"/>) through the status subresource when it changed.
/// </summary>
public sealed class DisruptionController
{
    /// <summary>The longest a pass waits without a wake-up: what an eviction that never led to a deletion waits at most past its timeout.</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);

    private static readonly WriteOptions Writer = WriteOptions.Default with { FieldManager = "kube-controller-manager" };
    private readonly ResourceService _service;
    private readonly ChangeSignal _signal;
    private readonly TimeProvider _time;

    public DisruptionController(ResourceService service, ChangeSignal signal, TimeProvider time) => (_service, _signal, _time) = (service, signal, time);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await PassAsync(ct).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(Resync);
            try
            {
                await _signal.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Resync.
            }
        }
    }

    public async Task PassAsync(CancellationToken ct)
    {
        var registry = _service.Registry;
        var budgetType = registry.Find("policy", "v1", "poddisruptionbudgets")!;
        var snapshot = _service.Store.Snapshot;
        var budgets = snapshot.Of(budgetType.StorageKey).Values.ToList();
        if (budgets.Count == 0)
        {
            return;
        }
        var pods = snapshot.Of(registry.Find("", "v1", "pods")!.StorageKey).Values
            .Where(p => budgets.Any(b => b.Namespace == p.Namespace))
            .Select(p => (Stored: p, Pod: JsonSerializer.Deserialize(p.Json, KubeJsonContext.Default.V1Pod)!))
            .ToLookup(p => p.Stored.Namespace, p => p.Pod, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        foreach (var stored in budgets)
        {
            var budget = JsonSerializer.Deserialize(stored.Json, KubeJsonContext.Default.V1PodDisruptionBudget)!;
            if (budget.Metadata?.DeletionTimestamp is not null)
            {
                continue;
            }
            var matched = BudgetSelector.Matching(budget, pods[stored.Namespace]);
            var status = BudgetStatusBuilder.Build(budget, matched, () => ControllerScales.Of(snapshot, registry, stored.Namespace, matched), now);
            if (Json(status) == Json(budget.Status))
            {
                continue;
            }
            try
            {
                await _service.ChangeAsync(budgetType, stored.Namespace, stored.Name, "status", Writer, current =>
                {
                    // Computed from this version: an eviction that spent the budget since then is not undone; the next pass recomputes.
                    if (current.ResourceVersion != stored.ResourceVersion)
                    {
                        throw ApiErrors.Modified(budgetType, stored.Name);
                    }
                    var obj = current.Parse();
                    obj["status"] = JsonNode.Parse(Json(status));
                    return obj;
                }, ct).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Gone, or changed under us (a wake-up for that write is already pending).
            }
        }
    }

    private static string Json(V1PodDisruptionBudgetStatus? status) =>
        status is null ? "" : JsonSerializer.Serialize(status, KubeJsonContext.Default.V1PodDisruptionBudgetStatus);
}
