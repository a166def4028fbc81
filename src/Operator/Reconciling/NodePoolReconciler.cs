using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Crds.Validation;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Writes a NodePool's status: matching and ready nodes, allocatable and allocated replica slots. The running operator
/// reconciles a pool when it changes and when a node, pod or model change concerns it (<see cref="NodePoolWakeups"/>);
/// each pool is also looked at again every <paramref name="recheck"/> (default <see cref="Recheck"/>), a safety net
/// for a change nobody announced.
/// A pool that fails validation (the checks <c>recop validate</c> makes, beyond what the API server's schema caught)
/// gets condition InvalidSpec=True with every message and a Warning Event, and no slots are computed for it.
/// The pool itself and the nodes, models and pods it is sized from come from <paramref name="source"/> (the running
/// operator's informer caches; by default reads from the API server), so a settled pass sends no request at all.
/// </summary>
public sealed class NodePoolReconciler(
    KubeApiClient client, EventRecorder events, TimeProvider? timeProvider = null, INodePoolSource? source = null, TimeSpan? recheck = null) : IReconciler
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly INodePoolSource _source = source ?? new LiveNodePoolSource(client);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = await _source.PoolAsync(key.Name, cancellationToken).ConfigureAwait(false);
        if (pool is null || pool.Metadata?.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var generation = pool.Metadata!.Generation;
        var errors = ResourceValidator.Validate(pool);
        if (errors.Count > 0)
        {
            var messages = string.Join("; ", errors.Select(e => e.ToString()));
            var invalid = Conditions.Make(Conditions.InvalidSpec, true, "ValidationFailed", messages, generation, _time.GetUtcNow());
            var current = pool.Status ?? new NodePoolStatus();
            await WriteStatusAsync(pool, current with { ObservedGeneration = generation, Conditions = Conditions.Set(current.Conditions, invalid) }, cancellationToken).ConfigureAwait(false);
            await events.RecordAsync(pool, EventRecorder.Warning, Conditions.InvalidSpec, "Validate", messages, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Terminal($"invalid spec: {messages}");
        }

        var nodes = await _source.NodesAsync(cancellationToken).ConfigureAwait(false);
        var models = await _source.ModelsAsync(cancellationToken).ConfigureAwait(false);
        // Every pod that may hold a node, not just the operator's: any of them takes room a replica would need.
        var pods = await _source.PodsAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var status = NodePoolSlots.Compute(pool, nodes, models, pods, now);
        var valid = Conditions.Make(Conditions.InvalidSpec, false, "Valid", "the spec passed validation", generation, now);
        await WriteStatusAsync(pool, status with { Conditions = Conditions.Set(status.Conditions, valid) }, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.RequeueAfter(recheck ?? Recheck);
    }

    private async Task WriteStatusAsync(NodePool pool, NodePoolStatus status, CancellationToken cancellationToken)
    {
        var wanted = JsonSerializer.SerializeToNode(status, CrdsJsonContext.Default.NodePoolStatus)!;
        var current = pool.Status is null ? null : JsonSerializer.SerializeToNode(pool.Status, CrdsJsonContext.Default.NodePoolStatus);
        if (JsonNode.DeepEquals(wanted, current))
        {
            return;
        }

        var name = pool.Metadata!.Name!;
        var intent = new JsonObject
        {
            ["apiVersion"] = NodePool.Descriptor.ApiVersion,
            ["kind"] = NodePool.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = wanted,
        };
        await client.For<NodePool>().PatchStatusAsync(name, KubePatch.Apply(intent, ChildWriter.FieldManager, force: true), null, cancellationToken).ConfigureAwait(false);
    }
}
