using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>Gets the pool and lists nodes, RecModels and unfinished pods from the API server on every call, 500 a page.</summary>
public sealed class LiveNodePoolSource(KubeApiClient client) : INodePoolSource
{
    public Task<NodePool?> PoolAsync(string name, CancellationToken cancellationToken) =>
        client.For<NodePool>().TryGetAsync(name, null, cancellationToken);

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
