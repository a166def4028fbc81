using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Writes a NodePool's status: matching and ready nodes, allocatable and allocated replica slots. Node changes
/// enqueue every pool; placed pods change without an event here, so each pool is looked at again periodically.
/// </summary>
public sealed class NodePoolReconciler(KubeApiClient client, TimeProvider? timeProvider = null) : IReconciler
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = await client.For<NodePool>().TryGetAsync(key.Name, null, cancellationToken).ConfigureAwait(false);
        if (pool is null || pool.Metadata?.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var nodes = await ListAsync(client.For<V1Node>(), null, cancellationToken).ConfigureAwait(false);
        var models = await ListAsync(client.For<RecModel>(), null, cancellationToken).ConfigureAwait(false);
        var pods = await ListAsync(client.For<V1Pod>(), $"{ChildLabels.Pool}={key.Name}", cancellationToken).ConfigureAwait(false);
        var status = NodePoolSlots.Compute(pool, nodes, models, pods, _time.GetUtcNow());
        var wanted = JsonSerializer.SerializeToNode(status, CrdsJsonContext.Default.NodePoolStatus)!;
        var current = pool.Status is null ? null : JsonSerializer.SerializeToNode(pool.Status, CrdsJsonContext.Default.NodePoolStatus);
        if (!JsonNode.DeepEquals(wanted, current))
        {
            var intent = new JsonObject
            {
                ["apiVersion"] = NodePool.Descriptor.ApiVersion,
                ["kind"] = NodePool.KindName,
                ["metadata"] = new JsonObject { ["name"] = key.Name },
                ["status"] = wanted,
            };
            await client.For<NodePool>().PatchStatusAsync(key.Name, KubePatch.Apply(intent, ChildWriter.FieldManager, force: true), null, cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.RequeueAfter(Recheck);
    }

    private static async Task<List<T>> ListAsync<T>(ResourceClient<T> resources, string? selector, CancellationToken cancellationToken)
        where T : class
    {
        var items = new List<T>();
        await foreach (var item in resources.ListAllAsync(null, new ListOptions { LabelSelector = selector, Limit = 500 }, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return items;
    }
}
