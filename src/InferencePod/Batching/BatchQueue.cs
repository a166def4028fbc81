using System.Diagnostics;

namespace RecOperator.InferencePod.Batching;

/// <summary>
/// The batcher's bounded FIFO: requests are added without waiting (a full queue refuses at once) and the batch workers,
/// each a thread of its own, block until one arrives or their gathering window closes.
/// </summary>
/// <remarks>
/// A monitor rather than BlockingCollection or SemaphoreSlim: those spin with sched_yield before they sleep, and
/// between the requests of an idle or lightly loaded pod that spinning was a tenth of the pod's CPU (perf, 256-row
/// requests on 2 cores), each yield a context switch that a virtual machine makes expensive. A worker waiting here
/// sleeps at once and is woken by the add that has work for it.
/// </remarks>
internal sealed class BatchQueue<T>(int capacity) where T : class
{
    private readonly Queue<T> _items = new();
    // An object, not a Lock: Monitor.Wait and Pulse need an object's monitor.
    private readonly object _gate = new();
    private int _waiting;
    private bool _completed;

    /// <summary>Queues <paramref name="item"/> unless the queue is full or completed; never waits.</summary>
    public AddResult TryAdd(T item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return AddResult.Completed;
            }
            if (_items.Count >= capacity)
            {
                return AddResult.Full;
            }
            _items.Enqueue(item);
            if (_waiting > 0)
            {
                Monitor.Pulse(_gate);
            }
            return AddResult.Added;
        }
    }

    /// <summary>The oldest item, waiting as long as it takes; null once the queue is completed and empty.</summary>
    public T? Take() => TakeUntil(long.MaxValue);

    /// <summary>
    /// The oldest item, waiting up to <paramref name="timeout"/> (zero or less: only one already queued); null when the
    /// time ran out, or once the queue is completed and empty.
    /// </summary>
    public T? Take(TimeSpan timeout) =>
        TakeUntil(Stopwatch.GetTimestamp() + (long)(Math.Max(0, timeout.TotalSeconds) * Stopwatch.Frequency));

    private T? TakeUntil(long deadline)
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }
                var wait = Timeout.Infinite;
                if (deadline != long.MaxValue)
                {
                    var left = deadline - Stopwatch.GetTimestamp();
                    if (left <= 0)
                    {
                        return null;
                    }
                    // Whole milliseconds, rounded up (the finest Monitor.Wait takes), so a window is never cut short.
                    wait = (int)Math.Min(int.MaxValue, Math.Ceiling(left * 1000.0 / Stopwatch.Frequency));
                }
                _waiting++;
                try
                {
                    Monitor.Wait(_gate, wait);
                }
                finally
                {
                    _waiting--;
                }
            }
            return _items.Dequeue();
        }
    }

    /// <summary>No more adds; waiting workers wake, take what is left, then get null.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    public enum AddResult
    {
        Added,
        Full,
        Completed,
    }
}
