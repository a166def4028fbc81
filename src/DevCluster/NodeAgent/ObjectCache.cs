using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// An informer: the latest state of every object of one kind, kept by a <see cref="ListWatcher{T}"/>. The agent's
/// own writes are recorded at once (a controller that just created a pod must see it on its next pass, not after the
/// watch delivers it), and an event older than what is already known, or than a recorded deletion, is ignored.
/// </summary>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject
{
    private readonly ConcurrentDictionary<string, T> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _deletedAt = new(StringComparer.Ordinal);
    private readonly ResourceClient<T> _client;
    private readonly Action _changed;
    private volatile ListWatcher<T>? _watcher;

    public ObjectCache(ResourceClient<T> client, Action changed) => (_client, _changed) = (client, changed);

    /// <summary>True once the first list has been applied (an empty list included).</summary>
    public bool HasSynced => _watcher?.HasSynced == true;

    public IReadOnlyCollection<T> Items => (IReadOnlyCollection<T>)_objects.Values;

    public T? Get(string? ns, string name) => _objects.GetValueOrDefault(Key(ns, name));

    public async Task RunAsync(ILogger logger, CancellationToken ct)
    {
        _watcher = new ListWatcher<T>(_client, null, new ListWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(200) }, logger);
        await foreach (var change in _watcher.RunAsync(ct).ConfigureAwait(false))
        {
            if (change.Type == WatchEventType.Deleted)
            {
                Remove(change.Object);
            }
            else
            {
                Record(change.Object);
            }
            _changed();
        }
    }

    /// <summary>Records an object the API server returned (ours or watched) unless a newer one is known.</summary>
    public void Record(T obj)
    {
        var id = _client.Identify(obj);
        var version = Version(id.ResourceVersion);
        if (_deletedAt.TryGetValue(id.Key, out var deleted) && version <= deleted)
        {
            return;
        }
        _objects.AddOrUpdate(id.Key, obj, (_, known) => Version(_client.Identify(known).ResourceVersion) > version ? known : obj);
    }

    /// <summary>Records that an object is gone; late events about it are then ignored.</summary>
    public void Remove(T obj)
    {
        var id = _client.Identify(obj);
        var version = Math.Max(Version(id.ResourceVersion), _objects.TryGetValue(id.Key, out var known) ? Version(_client.Identify(known).ResourceVersion) : 0);
        _deletedAt[id.Key] = version;
        _objects.TryRemove(id.Key, out _);
    }

    private static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    private static long Version(string? resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
