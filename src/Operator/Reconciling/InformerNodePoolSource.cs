using RecOperator.Crds;
using RecOperator.Kube.Models;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Answers from informer caches, so a NodePool reconcile (every pool, every 30 s and on node, pod and model changes)
/// reads nothing from the API server; a kind without an informer, or whose informer has not loaded its first list yet, is read from
/// <paramref name="live"/>. Each informer must cover every namespace. The pod informer may hold more than the pods that
/// count (one shared with the autoscaler holds finished ones too): those are left out here, so either answers alike.
/// The cached pool can lag the reconciler's own last status write by moments; the controller reconciles a pool again
/// on its every change, status included, so a pass that compared against that older copy is checked once more.
/// </summary>
public sealed class InformerNodePoolSource(INodePoolSource live) : INodePoolSource
{
    private SharedInformer<NodePool>? _pools;
    private SharedInformer<V1Node>? _nodes;
    private SharedInformer<RecModel>? _models;
    private SharedInformer<V1Pod>? _pods;

    public InformerNodePoolSource WithPools(SharedInformer<NodePool> informer)
    {
        _pools = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    public InformerNodePoolSource WithNodes(SharedInformer<V1Node> informer)
    {
        _nodes = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    public InformerNodePoolSource WithModels(SharedInformer<RecModel> informer)
    {
        _models = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    public InformerNodePoolSource WithPods(SharedInformer<V1Pod> informer)
    {
        _pods = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    public Task<NodePool?> PoolAsync(string name, CancellationToken cancellationToken) =>
        _pools is { HasSynced: true } pools ? Task.FromResult(pools.Cache.Get(new ObjectKey("", name))) : live.PoolAsync(name, cancellationToken);

    public Task<IReadOnlyList<V1Node>> NodesAsync(CancellationToken cancellationToken) =>
        _nodes is { HasSynced: true } nodes ? Task.FromResult(nodes.Cache.List()) : live.NodesAsync(cancellationToken);

    public Task<IReadOnlyList<RecModel>> ModelsAsync(CancellationToken cancellationToken) =>
        _models is { HasSynced: true } models ? Task.FromResult(models.Cache.List()) : live.ModelsAsync(cancellationToken);

    public Task<IReadOnlyList<V1Pod>> PodsAsync(CancellationToken cancellationToken)
    {
        if (_pods is not { HasSynced: true } pods)
        {
            return live.PodsAsync(cancellationToken);
        }

        IReadOnlyList<V1Pod> unfinished = [.. pods.Cache.List().Where(NodePoolPods.MayHoldNode)];
        return Task.FromResult(unfinished);
    }
}
