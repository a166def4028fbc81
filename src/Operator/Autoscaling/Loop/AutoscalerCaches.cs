using RecOperator.Crds;
using RecOperator.Crds.Models;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>The informer caches the autoscaler reads; it never lists from the API server on a sync.</summary>
public sealed record AutoscalerCaches(
    InformerCache<RecModel> Models,
    InformerCache<NodePool> Pools,
    InformerCache<V1Deployment> Deployments,
    InformerCache<V1Pod> Pods,
    InformerCache<V1Endpoints> Endpoints)
{
    /// <summary>
    /// Whether every cache has had its first full list. Before that an empty cache means "not listed yet", not "no
    /// Deployments": a loop that decided then took a running fleet for a new model and scaled it to the minimums.
    /// </summary>
    public Func<bool> HasSynced { get; init; } = () => true;

    /// <summary>
    /// Caches of shared informers, created now so the host starts them with the others. With <paramref name="ns"/>
    /// (the operator's --namespace), models and their Deployments, pods and Endpoints are watched in that namespace
    /// only, the same informers the reconciler uses: an operator scoped to one namespace neither scrapes nor writes
    /// Events on models it does not manage, and needs no cluster-wide read of pods. NodePools are cluster-scoped.
    /// </summary>
    public static AutoscalerCaches From(SharedInformerFactory informers, string? ns = null)
    {
        ArgumentNullException.ThrowIfNull(informers);
        IInformer[] sources = [informers.For<RecModel>(ns), informers.For<NodePool>(), informers.For<V1Deployment>(ns), informers.For<V1Pod>(ns), informers.For<V1Endpoints>(ns)];
        return new AutoscalerCaches(
            informers.For<RecModel>(ns).Cache, informers.For<NodePool>().Cache, informers.For<V1Deployment>(ns).Cache,
            informers.For<V1Pod>(ns).Cache, informers.For<V1Endpoints>(ns).Cache)
        {
            HasSynced = () => sources.All(i => i.HasSynced),
        };
    }

    public ObservedFleet Observe(RecModel model)
    {
        var key = ObjectKey.Of(model);
        bool Owned(Kube.IKubernetesObject o) => o.Metadata?.Namespace == key.Namespace;
        return ObservedFleet.From(
            Deployments.ByLabel(ChildLabels.Model, key.Name).Where(Owned),
            Pods.ByLabel(ChildLabels.Model, key.Name).Where(Owned));
    }

    /// <summary>The NodePools the model's variants name and that exist.</summary>
    public IReadOnlyList<NodePool> PoolsOf(RecModel model) =>
        [.. model.Spec.Variants.SelectMany(v => v.NodePools).Distinct(StringComparer.Ordinal)
            .Select(name => Pools.Get(new ObjectKey("", name))).OfType<NodePool>()];

    /// <summary>The ready pods of every model that reads metrics directly, for the direct metrics source's scrape loop.</summary>
    public IReadOnlyDictionary<ObjectKey, IReadOnlyList<Metrics.Scraping.ScrapeTarget>> ScrapeTargets() =>
        Models.List().Where(m => m.Spec.Autoscaling.Metrics.Source == MetricsSourceKind.Direct).ToDictionary(ObjectKey.Of, m => Metrics.Scraping.ScrapeTargetDiscovery.Discover(m, Endpoints.Get, Pods.Get));
}
