using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// Hands out one informer per kind, namespace and field selector, so controllers watching the same objects share it.
/// </summary>
public sealed class SharedInformerFactory(KubeApiClient client, ILoggerFactory loggerFactory, SharedInformerOptions? options = null, TimeProvider? timeProvider = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Type Kind, string Namespace, string FieldSelector), IInformer> _informers = [];
    private readonly SharedInformerOptions _options = options ?? new SharedInformerOptions();

    public IReadOnlyList<IInformer> Informers
    {
        get
        {
            lock (_gate)
            {
                return [.. _informers.Values];
            }
        }
    }

    /// <param name="ns">A namespace, or null for all namespaces.</param>
    /// <param name="fieldSelector">
    /// Lets the server send only the objects it picks (e.g. <c>status.phase!=Succeeded</c>); an object that stops
    /// matching leaves the cache as if deleted. Null caches every object.
    /// </param>
    public SharedInformer<T> For<T>(string? ns = null, string? fieldSelector = null)
        where T : class, IKubernetesResource
    {
        lock (_gate)
        {
            var key = (typeof(T), ns ?? "", fieldSelector ?? "");
            if (!_informers.TryGetValue(key, out var informer))
            {
                var scoped = fieldSelector is null ? _options : _options with { Watch = _options.Watch with { FieldSelector = fieldSelector } };
                informer = new SharedInformer<T>(client.For<T>(), ns, scoped, loggerFactory.CreateLogger($"Informer.{T.Descriptor.Kind}"), timeProvider);
                _informers[key] = informer;
            }

            return (SharedInformer<T>)informer;
        }
    }

    /// <summary>
    /// An informer whose cache holds at least what <see cref="For{T}"/> with these arguments would: that one if it exists,
    /// else one already created without a selector over the same namespace or every namespace (a superset, so the
    /// caller filters what it reads by the same rule), else a new one with the selector. Sharing spares the API server
    /// a second list and watch of the same objects; only informers created before the call are seen.
    /// </summary>
    public SharedInformer<T> Covering<T>(string? ns, string? fieldSelector)
        where T : class, IKubernetesResource
    {
        lock (_gate)
        {
            foreach (var scope in CoveringScopes(ns, fieldSelector))
            {
                if (_informers.TryGetValue((typeof(T), scope.Namespace, scope.FieldSelector), out var existing))
                {
                    return (SharedInformer<T>)existing;
                }
            }
        }

        return For<T>(ns, fieldSelector);
    }

    /// <summary>Runs every informer created so far until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Informers.Select(i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None)));

    // Most specific first: the same namespace before every namespace, the same selector before none.
    private static IEnumerable<(string Namespace, string FieldSelector)> CoveringScopes(string? ns, string? fieldSelector)
    {
        string[] namespaces = ns is null ? [""] : [ns, ""];
        string[] selectors = fieldSelector is null ? [""] : [fieldSelector, ""];
        return namespaces.SelectMany(n => selectors.Select(s => (n, s)));
    }
}
