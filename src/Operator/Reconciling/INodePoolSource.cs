using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Where a NodePool reconcile reads the pool itself and the cluster it sizes the pool from: every node, every RecModel (any namespace: a
/// pool serves them all) and every pod that may hold a node (whoever owns it). <see cref="LiveNodePoolSource"/> lists
/// them from the API server; <see cref="InformerNodePoolSource"/> answers from the operator's informer caches.
/// </summary>
public interface INodePoolSource
{
    /// <summary>The pool, or null when it does not exist.</summary>
    Task<NodePool?> PoolAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<V1Node>> NodesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<RecModel>> ModelsAsync(CancellationToken cancellationToken);

    /// <summary>Pods not yet finished (<see cref="NodePoolPods.MayHoldNode"/>), in every namespace.</summary>
    Task<IReadOnlyList<V1Pod>> PodsAsync(CancellationToken cancellationToken);
}
