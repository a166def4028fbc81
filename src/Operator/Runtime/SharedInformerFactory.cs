using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;

namespace RecOperator.Operator.Runtime;

/// <summary>Hands out one informer per kind and namespace, so controllers watching the same kind share it.</summary>
public sealed class SharedInformerFactory(KubeApiClient client, ILoggerFactory loggerFactory, SharedInformerOptions? options = null, TimeProvider? timeProvider = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Type, string), IInformer> _informers = [];

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
    public SharedInformer<T> For<T>(string? ns = null)
        where T : class, IKubernetesResource
    {
        lock (_gate)
        {
            var key = (typeof(T), ns ?? "");
            if (!_informers.TryGetValue(key, out var informer))
            {
                informer = new SharedInformer<T>(client.For<T>(), ns, options, loggerFactory.CreateLogger($"Informer.{T.Descriptor.Kind}"), timeProvider);
                _informers[key] = informer;
            }

            return (SharedInformer<T>)informer;
        }
    }

    /// <summary>Runs every informer created so far until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Informers.Select(i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None)));
}
