using System.Collections.Concurrent;
using System.Threading.Channels;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Keys waiting to be reconciled, each at most once in the queue however often it is added (a burst of pod
/// changes for one Service is one reconcile). Failed keys come back after a delay.
/// </summary>
internal sealed class KeyedWorkQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        if (_queued.TryAdd(key, 0))
        {
            _channel.Writer.TryWrite(key);
        }
    }

    public void AddAfter(string key, TimeSpan delay, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, cancellationToken).ContinueWith(_ => Add(key), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>The next key; it may be added again (and so reconciled again) from the moment it is taken.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _queued.TryRemove(key, out _);
        return key;
    }
}
