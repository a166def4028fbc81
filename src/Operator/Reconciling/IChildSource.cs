using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Where a reconcile reads what it compares against: a model's children of one kind (found by the model's label
/// selector, as <see cref="OwnedChildren.Selector"/> says), its pods, and the NodePools, with their status (the slots in use). <see cref="LiveChildSource"/> asks the
/// API server; <see cref="InformerChildSource"/> answers from the operator's informer caches where it has one.
/// </summary>
public interface IChildSource
{
    Task<IReadOnlyList<T>> ChildrenAsync<T>(RecModel model, CancellationToken cancellationToken)
        where T : class, IKubernetesResource;

    /// <summary>Every pod in the model's namespace with its model label (<see cref="ChildLabels.Model"/>), finished ones too.</summary>
    Task<IReadOnlyList<V1Pod>> PodsAsync(RecModel model, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, NodePool>> PoolsAsync(CancellationToken cancellationToken);
}
