using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Where a reconcile reads what it compares against: a model's children of one kind (found by the model's label
/// selector, as <see cref="OwnedChildren.Selector"/> says) and the NodePools, with their status (the slots in use). <see cref="LiveChildSource"/> asks the
/// API server; <see cref="InformerChildSource"/> answers from the operator's informer caches where it has one.
/// </summary>
public interface IChildSource
{
    Task<IReadOnlyList<T>> ChildrenAsync<T>(RecModel model, CancellationToken cancellationToken)
        where T : class, IKubernetesResource;

    Task<IReadOnlyDictionary<string, NodePool>> PoolsAsync(CancellationToken cancellationToken);
}
