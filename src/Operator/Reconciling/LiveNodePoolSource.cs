using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>Lists the pool (by name), nodes, RecModels and unfinished pods from the API server on every call, 500 a page.</summary>
public sealed class LiveNodePoolSource(KubeApiClient client) : INodePoolSource
{
    // A list by name rather than a GET: the pool is otherwise only listed and watched, so the operator needs no get
    // grant on nodepools for the moments before the informer has synced.
    public async Task<NodePool?> PoolAsync(string name, CancellationToken cancellationToken)
    {
        var named = await client.For<NodePool>().ListAsync(null, new ListOptions { FieldSelector = $"metadata.name={name}" }, cancellationToken).ConfigureAwait(false);
        return named.Items.FirstOrDefault();
    }

    public Task<IReadOnlyList<V1Node>> NodesAsync(CancellationToken cancellationToken) =>
        ListAsync(client.For<V1Node>(), null, cancellationToken);

    public Task<IReadOnlyList<RecModel>> ModelsAsync(CancellationToken cancellationToken) =>
        ListAsync(client.For<RecModel>(), null, cancellationToken);

    // The server filters: finished pods, often the most numerous, are not sent at all.
    public Task<IReadOnlyList<V1Pod>> PodsAsync(CancellationToken cancellationToken) =>
        ListAsync(client.For<V1Pod>(), NodePoolPods.FieldSelector, cancellationToken);

    private static async Task<IReadOnlyList<T>> ListAsync<T>(ResourceClient<T> resources, string? fieldSelector, CancellationToken cancellationToken)
        where T : class
    {
        var list = await resources.ListWholeAsync(null, new ListOptions { FieldSelector = fieldSelector, Limit = 500 }, cancellationToken).ConfigureAwait(false);
        return list.Items;
    }
}
