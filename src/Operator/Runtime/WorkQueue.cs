namespace RecOperator.Operator.Runtime;

/// <summary>
/// client-go's rate-limited work queue. A key added several times before a worker takes it is processed once;
/// a key being processed is never handed to a second worker (re-adds wait until <see cref="Done"/>); failed keys
/// come back after the rate limiter's delay; <see cref="AddAfter"/> serves RequeueAfter. After shutdown no
/// new keys are accepted, and workers drain what is queued.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, (ITimer Timer, DateTimeOffset Due)> _delayed = [];
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();
    private bool _shuttingDown;

    public WorkQueue(IRateLimiter<TKey>? rateLimiter = null, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _rateLimiter = rateLimiter ?? MaxOfRateLimiter<TKey>.ControllerDefault(_time);
    }

    /// <summary>Keys waiting for a worker (the queue-depth metric).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            if (!_processing.Contains(key))
            {
                _queue.Enqueue(key);
                Signal();
            }
        }
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending delay for it wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            _delayed[key] = (_time.CreateTimer(_ => FireDelayed(key), null, delay, Timeout.InfiniteTimeSpan), due);
        }
    }

    /// <summary>Adds the key after its backoff: exponential per key, bounded overall by the token bucket.</summary>
    public void AddRateLimited(TKey key) => AddAfter(key, _rateLimiter.When(key));

    /// <summary>Clears the key's failure count (call after a successful reconcile).</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int Requeues(TKey key) => _rateLimiter.Failures(key);

    /// <summary>Waits for a key; null once the queue is shut down and empty. Call <see cref="Done"/> after processing.</summary>
    public async Task<WorkItem<TKey>?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return new WorkItem<TKey>(key);
                }

                if (_shuttingDown)
                {
                    return null;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks the key processed; if it was added meanwhile, it goes back in the queue now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                _queue.Enqueue(key);
            }

            Signal();
        }
    }

    /// <summary>
    /// Stops accepting keys and waits until every key taken so far is <see cref="Done"/>. Keys still queued stay
    /// available to <see cref="TakeAsync"/> for workers that want to finish them.
    /// </summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var (timer, _) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
            Signal();
        }

        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_processing.Count == 0)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (timer, _) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }
    }

    private void FireDelayed(TKey key)
    {
        lock (_gate)
        {
            if (!_delayed.Remove(key, out var pending))
            {
                return;
            }

            pending.Timer.Dispose();
        }

        Add(key);
    }

    // Wakes every waiter; they re-check the state under the lock.
    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
