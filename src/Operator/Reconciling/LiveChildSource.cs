using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>Reads children, pods and NodePools from the API server on every call: a list per kind.</summary>
public sealed class LiveChildSource(KubeApiClient client) : IChildSource
{
    public async Task<IReadOnlyList<T>> ChildrenAsync<T>(RecModel model, CancellationToken cancellationToken)
        where T : class, IKubernetesResource
    {
        var (name, ns, _) = RecModelChildSync.Identity(model);
        return await RecModelChildSync.ListAsync(client.For<T>(), ns, OwnedChildren.Selector(name), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(RecModel model, CancellationToken cancellationToken)
    {
        var (name, ns, _) = RecModelChildSync.Identity(model);
        return await RecModelChildSync.ListAsync(client.For<V1Pod>(), ns, $"{ChildLabels.Model}={name}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, NodePool>> PoolsAsync(CancellationToken cancellationToken)
    {
        var pools = new Dictionary<string, NodePool>(StringComparer.Ordinal);
        await foreach (var pool in client.For<NodePool>().ListAllAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            pools[pool.Metadata!.Name!] = pool;
        }

        return pools;
    }
}
