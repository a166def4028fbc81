using System.Diagnostics;
using System.Threading.Channels;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Batching;

/// <summary>
/// Dynamic batching: concurrent requests wait in a bounded queue; a worker takes the first, gathers more until the
/// batch holds <see cref="BatchingOptions.MaxBatchRows"/> rows or <see cref="BatchingOptions.MaxQueueDelay"/> has passed
/// since the first arrived,
/// runs them as one engine call and hands each request its rows. A full queue sheds the request at once (429 /
/// RESOURCE_EXHAUSTED) instead of letting latency grow without bound; a request whose deadline passed while queued
/// is dropped before it runs.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly ServedModel _model;
    private readonly BatchingOptions _options;
    private readonly IBatchObserver? _observer;
    private readonly Channel<BatchItem> _queue;
    private readonly TaskCompletionSource _workersDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Wakes a worker that waits for a request, idle or gathering a batch (see WaitForArrival); set only while one waits.
    private readonly ManualResetEventSlim _arrived = new(false, spinCount: 0);
    private int _waiting;
    private int _running;
    private int _depth;

    public DynamicBatcher(ServedModel model, BatchingOptions options, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _options = options;
        _observer = observer;
        _queue = Channel.CreateBounded<BatchItem>(new BoundedChannelOptions(options.MaxQueueRequests)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = options.Workers == 1,
        });
        // Workers are threads of their own, not pool threads: they block, waiting for requests and in the engine call.
        // A pool thread that blocks holds whatever work the pool queued on it meanwhile (another request's I/O, a timer's
        // continuation) until it is free again, which with a 300 ms engine call delayed a second request's arrival by
        // the whole call in about half of the runs of BatchWindowTests.
        _running = options.Workers;
        for (var n = 0; n < options.Workers; n++)
        {
            new Thread(Work) { IsBackground = true, Name = $"recpod-batch-{n}" }.Start();
        }
    }

    /// <summary>Requests waiting, not yet running.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>Queues the request and waits for its outputs (session output order).</summary>
    public Task<InferTensor[]> InferAsync(PreparedRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var item = new BatchItem(request, BatchItem.DeadlineAfter(timeout), cancellationToken);
        Interlocked.Increment(ref _depth);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _depth);
            throw new InferException(InferStatus.ResourceExhausted,
                $"the inference queue is full ({_options.MaxQueueRequests} requests waiting); retry later");
        }
        // The channel's lock is a full fence, so this read cannot move before the write a waiting worker peeks for.
        if (Volatile.Read(ref _waiting) > 0)
        {
            _arrived.Set();
        }
        return item.Completion.Task;
    }

    private void Work()
    {
        try
        {
            using var runner = new BatchRunner(_model, _options.MaxBatchRows);
            var batch = new List<BatchItem>();
            BatchItem? carried = null;
            var reader = _queue.Reader;
            while (true)
            {
                var first = carried;
                if (first is null)
                {
                    if (!reader.TryRead(out first))
                    {
                        if (!WaitForArrival(reader, Timeout.InfiniteTimeSpan))
                        {
                            // Completed and drained: every admitted request has had its answer.
                            return;
                        }
                        continue;
                    }
                    Interlocked.Decrement(ref _depth);
                }
                carried = null;
                batch.Clear();
                if (!Admit(first, batch))
                {
                    continue;
                }
                carried = Gather(batch, reader);
                if (batch.Count > 0)
                {
                    Run(runner, batch);
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _workersDone.TrySetResult();
            }
        }
    }

    /// <summary>Adds more requests until the batch is full or the first one's delay is over; returns one that did not fit, if any.</summary>
    private BatchItem? Gather(List<BatchItem> batch, ChannelReader<BatchItem> reader)
    {
        if (!_model.Batchable || _options.MaxBatchRows <= 1 || batch.Count == 0)
        {
            return null;
        }
        var rows = batch[0].Request.Rows;
        // The window counts from the first request's arrival, not from when this worker took it: a request that waited
        // behind a running batch for longer than the window runs with whatever queued meanwhile instead of waiting anew.
        var until = batch[0].QueuedAt + (long)(_options.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        while (rows < _options.MaxBatchRows)
        {
            if (!reader.TryRead(out var next))
            {
                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
                if (remaining <= TimeSpan.Zero || !WaitForArrival(reader, remaining))
                {
                    return null;
                }
                continue;
            }
            Interlocked.Decrement(ref _depth);
            if (rows + next.Request.Rows > _options.MaxBatchRows || !SameRowShapes(batch[0], next))
            {
                return next;
            }
            if (Admit(next, batch))
            {
                rows += next.Request.Rows;
            }
        }
        return null;
    }

    /// <summary>
    /// Blocks this worker until a request arrives or <paramref name="remaining"/> passes (infinite while idle). The
    /// gathering window is short (the default is 2 ms) and precise: the thread waits on an event with a kernel timeout,
    /// where a timer (CancelAfter with WaitToReadAsync) fired after 4.3 ms for a 2 ms window at the median on a 250 Hz
    /// kernel. False once no request can come any more.
    /// </summary>
    private bool WaitForArrival(ChannelReader<BatchItem> reader, TimeSpan remaining)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            // Reset before looking, so a request written after the look sets the event and ends the wait. Another worker
            // may reset a set event before this one wakes; it then looks for itself, so no request is left waiting.
            _arrived.Reset();
            if (reader.TryPeek(out _))
            {
                return true;
            }
            if (reader.Completion.IsCompleted)
            {
                // Shutdown set the event and this worker reset it: pass the wake-up on, or another idle worker would
                // sleep on forever.
                _arrived.Set();
                return false;
            }
            // Whole milliseconds, rounded up: the wait ends early when a request arrives, never before the window.
            _arrived.Wait(remaining == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Ceiling(remaining.TotalMilliseconds));
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private static bool Admit(BatchItem item, List<BatchItem> batch)
    {
        if (item.Expired(Stopwatch.GetTimestamp()))
        {
            item.Completion.TrySetException(item.Cancellation.IsCancellationRequested
                ? new InferException(InferStatus.Cancelled, "the client cancelled the request while it was queued")
                : new InferException(InferStatus.DeadlineExceeded, "the request's deadline passed while it was queued; it was not run"));
            return false;
        }
        batch.Add(item);
        return true;
    }

    /// <summary>Requests join only when every input has the same shape apart from the batch dimension.</summary>
    private static bool SameRowShapes(BatchItem a, BatchItem b)
    {
        for (var i = 0; i < a.Request.Inputs.Length; i++)
        {
            if (!a.Request.Inputs[i].Shape.AsSpan(1).SequenceEqual(b.Request.Inputs[i].Shape.AsSpan(1)))
            {
                return false;
            }
        }
        return true;
    }

    private void Run(BatchRunner runner, List<BatchItem> batch)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            // Not cancellable: admitted requests are answered, and shutdown waits for them (DisposeAsync).
            var answers = runner.Run(batch, CancellationToken.None);
            Observe(batch, started, Stopwatch.GetTimestamp());
            for (var n = 0; n < batch.Count; n++)
            {
                batch[n].Completion.TrySetResult(answers[n]);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException && batch.Count > 1)
        {
            // A value the checks before the queue cannot see (an id that a computed index turns out of range, say) fails
            // the engine call of every request joined with it: run each one alone, so only the request that fails alone fails.
            foreach (var item in batch)
            {
                Run(runner, [item]);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // One failed engine call fails only its own batch; the worker keeps serving.
            foreach (var item in batch)
            {
                item.Completion.TrySetException(new InferException(InferStatus.Internal, $"the engine failed: {error.Message}"));
            }
        }
    }

    /// <summary>Reports the batch before its answers go out, so a client that has its answer finds it in the metrics.</summary>
    private void Observe(List<BatchItem> batch, long started, long ended)
    {
        if (_observer is null)
        {
            return;
        }
        Span<double> queued = batch.Count <= 256 ? stackalloc double[batch.Count] : new double[batch.Count];
        var rows = 0L;
        for (var n = 0; n < batch.Count; n++)
        {
            queued[n] = Stopwatch.GetElapsedTime(batch[n].QueuedAt, started).TotalSeconds;
            rows += batch[n].Request.Rows;
        }
        _observer.BatchRan(rows, queued, Stopwatch.GetElapsedTime(started, ended).TotalSeconds);
    }

    /// <summary>Stops taking requests, lets queued ones finish (they were admitted), then stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Idle workers wake, find the queue completed and drained, and end; busy ones finish what they hold first.
        _arrived.Set();
        await _workersDone.Task.ConfigureAwait(false);
        // _arrived is not disposed: a request racing shutdown may still set it, and it holds no kernel handle (it is
        // only ever waited on through a monitor).
    }
}
