using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Answers from the informer caches the operator already runs (it watches the kinds it owns, the NodePools, and the
/// pods: the autoscaler's informer where it runs), so
/// a reconcile does not list them from the API server again; a kind without an informer, or one whose informer has not
/// loaded its first list yet, is read live. A cached copy can lag a write by moments: the writer then applies once
/// more than needed (<see cref="AppliedIntent"/> cannot see the newest intent on it) and <see cref="ChildWriter"/> still
/// reports such a repeat as unchanged; the write's own watch event reconciles the model again once the cache has it.
/// A child the cache does not show at all is read by name from the API server before it is applied
/// (<see cref="RecModelChildSync"/>), since it may exist under another owner.
/// </summary>
public sealed class InformerChildSource(IChildSource live) : IChildSource
{
    private readonly Dictionary<Type, object> _children = [];
    private SharedInformer<NodePool>? _pools;
    private SharedInformer<V1Pod>? _pods;

    /// <summary>Answers children of this kind from the informer (it must watch every namespace the operator reconciles).</summary>
    public InformerChildSource With<T>(SharedInformer<T> informer)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(informer);
        _children[typeof(T)] = informer;
        return this;
    }

    public InformerChildSource WithPools(SharedInformer<NodePool> informer)
    {
        _pools = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    /// <summary>
    /// Answers pods from the informer: it must watch every pod (no field selector) of each namespace the operator
    /// reconciles, so it finds what the live list's label selector finds, finished pods included.
    /// </summary>
    public InformerChildSource WithPods(SharedInformer<V1Pod> informer)
    {
        _pods = informer ?? throw new ArgumentNullException(nameof(informer));
        return this;
    }

    public Task<IReadOnlyList<V1Pod>> PodsAsync(RecModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_pods is not { HasSynced: true } pods)
        {
            return live.PodsAsync(model, cancellationToken);
        }

        var (name, ns, _) = RecModelChildSync.Identity(model);
        IReadOnlyList<V1Pod> found = [.. pods.Cache.ByLabel(ChildLabels.Model, name).Where(p => p.Metadata?.Namespace == ns)];
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<T>> ChildrenAsync<T>(RecModel model, CancellationToken cancellationToken)
        where T : class, IKubernetesResource
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!_children.TryGetValue(typeof(T), out var registered) || registered is not SharedInformer<T> { HasSynced: true } informer)
        {
            return live.ChildrenAsync<T>(model, cancellationToken);
        }

        // The same objects the live list's selector finds: the model's label, in its namespace, managed by the operator.
        var (name, ns, _) = RecModelChildSync.Identity(model);
        IReadOnlyList<T> children = [.. informer.Cache.ByLabel(ChildLabels.Model, name)
            .Where(o => o.Metadata?.Namespace == ns && o.Metadata.Labels is { } labels
                && labels.TryGetValue(ChildLabels.ManagedBy, out var manager) && manager == ChildLabels.Manager)];
        return Task.FromResult(children);
    }

    public Task<IReadOnlyDictionary<string, NodePool>> PoolsAsync(CancellationToken cancellationToken)
    {
        if (_pools is not { HasSynced: true } pools)
        {
            return live.PoolsAsync(cancellationToken);
        }

        IReadOnlyDictionary<string, NodePool> listed = pools.Cache.List().ToDictionary(p => p.Metadata!.Name!, StringComparer.Ordinal);
        return Task.FromResult(listed);
    }
}
