using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RecOperator.Kube.Events;

/// <summary>
/// Fire-and-forget recording for components whose work must not wait on, or fail with, an Event write (a scheduler
/// pass, a kubelet's container loop): <see cref="Post"/> never blocks and never throws; one background loop writes
/// through the <see cref="EventRecorder"/>. A full queue drops the occurrence (counted in <see cref="Dropped"/>), as
/// client-go's broadcaster does, and the <see cref="EventSpamFilter"/> drops what one object reports too often.
/// A failed write is logged and forgotten.
/// </summary>
public sealed partial class EventQueue : IAsyncDisposable
{
    public const int DefaultCapacity = 1000;

    // On shutdown the last occurrences (Killing, typically) get this long to be written before the loop is cancelled.
    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(2);

    private readonly EventRecorder _recorder;
    private readonly EventSpamFilter _spam;
    private readonly ILogger _logger;
    private readonly Channel<EventOccurrence> _pending;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _dropped;

    public EventQueue(EventRecorder recorder, ILogger logger, TimeProvider? time = null, int capacity = DefaultCapacity)
    {
        (_recorder, _logger) = (recorder, logger);
        _spam = new EventSpamFilter(time ?? TimeProvider.System);
        _pending = Channel.CreateBounded<EventOccurrence>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _loop = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    /// <summary>Occurrences not written because the queue was full or their object reported too often.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an occurrence; returns false (and drops it) when the queue is full or the object is over its rate.</summary>
    public bool Post(EventOccurrence occurrence)
    {
        bool allowed;
        lock (_gate)
        {
            allowed = _spam.Allow(occurrence, _recorder.ReportingController);
        }
        if (allowed && _pending.Writer.TryWrite(occurrence))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private async Task WriteLoopAsync()
    {
        var ct = _stopping.Token;
        try
        {
            await foreach (var occurrence in _pending.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await _recorder.RecordAsync(occurrence, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Whatever the API server or the network says, the next occurrence is still written.
                    LogWriteFailed(_logger, occurrence.Reason, occurrence.Regarding.Kind, occurrence.Regarding.Name, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Writes what is queued (for a short while), then stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(DrainOnDispose).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "recording event {Reason} about {Kind} {Name} failed: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string reason, string? kind, string? name, string error);
}
