using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Watching;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// One list+watch per kind and namespace, shared by every controller that cares: it keeps the indexed cache
/// current and tells each subscriber about every change, plus a periodic resync of everything cached.
/// </summary>
public sealed class SharedInformer<T> : IInformer
    where T : class, IKubernetesObject
{
    private readonly ListWatcher<T> _watcher;
    private readonly SharedInformerOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _dispatch = new();
    private readonly List<Action<InformerEvent<T>>> _handlers = [];

    public SharedInformer(ResourceClient<T> client, string? ns, SharedInformerOptions? options, ILogger logger, TimeProvider? timeProvider = null)
    {
        _options = options ?? new SharedInformerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _watcher = new ListWatcher<T>(client, ns, _options.Watch, logger, _time);
        Kind = client.Descriptor.Kind;
    }

    public string Kind { get; }

    public InformerCache<T> Cache { get; } = new();

    public bool HasSynced => _watcher.HasSynced;

    public bool IsConnected => _watcher.IsConnected;

    /// <summary>Adds a handler; objects already cached are delivered to it as Added first, as in client-go.</summary>
    public void Subscribe(Action<InformerEvent<T>> handler)
    {
        lock (_dispatch)
        {
            _handlers.Add(handler);
            foreach (var obj in Cache.List())
            {
                handler(new InformerEvent<T>(InformerEventType.Added, obj));
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(cancellationToken) : Task.CompletedTask;
        try
        {
            await foreach (var change in _watcher.RunAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_dispatch)
                {
                    Publish(Apply(change));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await resync.ConfigureAwait(false);
    }

    private InformerEvent<T> Apply(WatchEvent<T> change)
    {
        if (change.Type == WatchEventType.Deleted)
        {
            return new InformerEvent<T>(InformerEventType.Deleted, Cache.Remove(ObjectKey.Of(change.Object)) ?? change.Object);
        }

        var old = Cache.Upsert(change.Object);
        return old is null
            ? new InformerEvent<T>(InformerEventType.Added, change.Object)
            : new InformerEvent<T>(InformerEventType.Updated, change.Object, old);
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_dispatch)
                {
                    foreach (var obj in Cache.List())
                    {
                        Publish(new InformerEvent<T>(InformerEventType.Resync, obj, obj));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Publish(InformerEvent<T> change)
    {
        foreach (var handler in _handlers)
        {
            handler(change);
        }
    }
}
