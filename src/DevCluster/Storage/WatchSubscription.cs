using System.Threading.Channels;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// A live feed of one resource's changes after a revision. The backlog holds the history events the watcher
/// asked to resume from; later events arrive on <see cref="Events"/>. A watcher that falls too far behind is
/// closed (its channel completes), like the real server's watch cache does; the client re-watches.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<StoreEvent> _channel;
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(string resource, IReadOnlyList<StoreEvent> backlog, int capacity, Action<WatchSubscription> unsubscribe)
    {
        Resource = resource;
        Backlog = backlog;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    public string Resource { get; }
    public IReadOnlyList<StoreEvent> Backlog { get; }
    public ChannelReader<StoreEvent> Events => _channel.Reader;

    internal void Offer(StoreEvent change)
    {
        if (!_channel.Writer.TryWrite(change))
        {
            _channel.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _unsubscribe(this);
    }
}
