using System.Threading.Channels;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>A level-triggered wake-up: many Raise calls between two waits coalesce into one pass of the collector.</summary>
public sealed class ChangeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Raise() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken ct) => await _channel.Reader.ReadAsync(ct).ConfigureAwait(false);
}
