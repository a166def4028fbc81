using System.Diagnostics;

namespace RecOperator.Demo.Load;

/// <summary>
/// Watches the demo's own process for pauses that would show up as client latency, since the load generator, the
/// router, the API server and the operator share it: a dedicated thread that oversleeps sees the whole process stop
/// (a blocking GC), and a thread-pool timer that fires late sees work queued behind busy pool threads (starvation).
/// Each stall is kept with the GC pause time and pool queue that came with it, so a slow window can be told apart
/// from a slow pod.
/// </summary>
public sealed class StallMonitor : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private readonly TimeSpan _threshold;
    private readonly Stopwatch _clock;
    private readonly List<ProcessStall> _stalls = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Task _pool;

    /// <param name="clock">The run's clock, so stalls line up with the outcomes' scheduled times.</param>
    public StallMonitor(Stopwatch clock, TimeSpan threshold)
    {
        _clock = clock;
        _threshold = threshold;
        _thread = new Thread(WatchProcess) { IsBackground = true, Name = "stall-monitor" };
        _thread.Start();
        _pool = WatchPoolAsync();
    }

    public IReadOnlyList<ProcessStall> Stalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _stalls];
            }
        }
    }

    private void WatchProcess()
    {
        while (!_stop.IsCancellationRequested)
        {
            var gcBefore = GC.GetTotalPauseDuration();
            var before = _clock.Elapsed;
            Thread.Sleep(Tick);
            Record(StallKind.Process, before, gcBefore);
        }
    }

    private async Task WatchPoolAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var gcBefore = GC.GetTotalPauseDuration();
            var before = _clock.Elapsed;
            try
            {
                await Task.Delay(Tick, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Record(StallKind.ThreadPool, before, gcBefore);
        }
    }

    private void Record(StallKind kind, TimeSpan before, TimeSpan gcBefore)
    {
        var late = _clock.Elapsed - before - Tick;
        if (late < _threshold)
        {
            return;
        }
        var stall = new ProcessStall(kind, before, late.TotalMilliseconds, (GC.GetTotalPauseDuration() - gcBefore).TotalMilliseconds,
            ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount);
        lock (_gate)
        {
            _stalls.Add(stall);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pool.ConfigureAwait(false);
        // The thread wakes within one tick.
        _thread.Join();
        _stop.Dispose();
    }
}
