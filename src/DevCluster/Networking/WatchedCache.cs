using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// An informer-style cache of one kind, kept current by a <see cref="ListWatcher{T}"/> (list, watch, resume,
/// relist). Every change is reported as (old, new) so controllers can work out which keys it touches.
/// </summary>
internal sealed class WatchedCache<T>
    where T : class
{
    private readonly ResourceClient<T> _client;
    private readonly ListWatcherOptions? _options;
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);

    public WatchedCache(ResourceClient<T> client, ListWatcherOptions? options = null) => (_client, _options) = (client, options);

    public ICollection<T> Values => _items.Values;

    public T? Get(string key) => _items.TryGetValue(key, out var item) ? item : null;

    public string KeyOf(T obj) => _client.Identify(obj).Key;

    /// <summary>Runs until cancelled; <paramref name="changed"/> gets (previous, current), either null for add or delete.</summary>
    public async Task RunAsync(Action<T?, T?> changed, ILogger logger, CancellationToken cancellationToken)
    {
        var watcher = new ListWatcher<T>(_client, null, _options, logger);
        try
        {
            await foreach (var change in watcher.RunAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = _client.Identify(change.Object).Key;
                _items.TryGetValue(key, out var previous);
                if (change.Type == WatchEventType.Deleted)
                {
                    _items.TryRemove(key, out _);
                    changed(previous ?? change.Object, null);
                }
                else
                {
                    _items[key] = change.Object;
                    changed(previous, change.Object);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
