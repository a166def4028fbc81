using System.Collections.Concurrent;
using System.Diagnostics;
using RecOperator.InferencePod.Model;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Batching;

/// <summary>
/// Dynamic batching: concurrent requests wait in a bounded queue; a worker takes the first, gathers more until the
/// batch holds <see cref="BatchingOptions.MaxBatchRows"/> rows or <see cref="BatchingOptions.MaxQueueDelay"/> has passed,
/// runs them as one engine call and hands each request its rows. A full queue sheds the request at once (429 /
/// RESOURCE_EXHAUSTED) instead of letting latency grow without bound; a request whose deadline passed while queued
/// is dropped before it runs.
/// </summary>
/// <remarks>
/// Each worker is a thread of its own, not a thread-pool task: an engine call is CPU-bound and blocks for milliseconds
/// (tens of them for big batches), and the pool keeps about one thread per core, so workers on the pool would leave
/// Kestrel's socket and protocol work waiting for the pool's starvation check (about 0.5 s) to add threads. On its own
/// thread a worker may also block while it waits for requests, which is what the queue's timed take does.
/// </remarks>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly ServedModel _model;
    private readonly BatchingOptions _options;
    private readonly IBatchObserver? _observer;
    private readonly BlockingCollection<BatchItem> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private int _depth;

    public DynamicBatcher(ServedModel model, BatchingOptions options, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _options = options;
        _observer = observer;
        _queue = new BlockingCollection<BatchItem>(new ConcurrentQueue<BatchItem>(), options.MaxQueueRequests);
        _workers = Enumerable.Range(0, options.Workers).Select(StartWorker).ToArray();
    }

    /// <summary>Requests waiting, not yet running.</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>Queues the request and waits for its outputs (session output order).</summary>
    public Task<InferTensor[]> InferAsync(PreparedRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var item = new BatchItem(request, BatchItem.DeadlineAfter(timeout), cancellationToken);
        Interlocked.Increment(ref _depth);
        bool queued;
        try
        {
            queued = _queue.TryAdd(item);
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException)
        {
            // Adding was completed (or the queue disposed): the batcher is being disposed.
            Interlocked.Decrement(ref _depth);
            throw ShuttingDown();
        }
        if (!queued)
        {
            Interlocked.Decrement(ref _depth);
            throw new InferException(InferStatus.ResourceExhausted,
                $"the inference queue is full ({_options.MaxQueueRequests} requests waiting); retry later");
        }
        return item.Completion.Task;
    }

    private static InferException ShuttingDown() => new(InferStatus.Unavailable, "the pod is shutting down");

    /// <summary>A worker thread; the task completes when the thread has finished (the queue drained, or stopped).</summary>
    private Task StartWorker(int index)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Work();
                finished.SetResult();
            }
            catch (Exception error)
            {
                finished.SetException(error);
            }
        })
        {
            // A wedged engine call must not keep the process alive past its shutdown.
            IsBackground = true,
            Name = $"recpod-batch-{index}",
        };
        thread.Start();
        return finished.Task;
    }

    private void Work()
    {
        using var runner = new BatchRunner(_model, _options.MaxBatchRows);
        var batch = new List<BatchItem>();
        BatchItem? carried = null;
        try
        {
            while (true)
            {
                var first = carried;
                carried = null;
                if (first is null)
                {
                    // False once adding is complete and the queue is empty: every admitted request has been answered.
                    if (!_queue.TryTake(out first, Timeout.Infinite, _stopping.Token))
                    {
                        return;
                    }
                    Interlocked.Decrement(ref _depth);
                }
                batch.Clear();
                if (!Admit(first, batch))
                {
                    continue;
                }
                carried = Gather(batch);
                if (batch.Count > 0)
                {
                    Run(runner, batch);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            carried?.Completion.TrySetException(ShuttingDown());
        }
    }

    /// <summary>Adds more requests until the batch is full or the delay is over; returns one that did not fit, if any.</summary>
    private BatchItem? Gather(List<BatchItem> batch)
    {
        if (!_model.Batchable || _options.MaxBatchRows <= 1 || batch.Count == 0)
        {
            return null;
        }
        var rows = batch[0].Request.Rows;
        var until = Stopwatch.GetTimestamp() + (long)(_options.MaxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        while (rows < _options.MaxBatchRows)
        {
            if (!_queue.TryTake(out var next, WaitMilliseconds(until), _stopping.Token))
            {
                return null;
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
    /// What is left of the gathering window, rounded up to whole milliseconds (the finest a timed wait takes), so the
    /// window is never cut short; 0 once it is over, which takes only what is already queued.
    /// </summary>
    private static int WaitMilliseconds(long until)
    {
        var remaining = until - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
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
            var answers = runner.Run(batch, _stopping.Token);
            _observer?.BatchRan(batch.Count, batch.Sum(i => (long)i.Request.Rows));
            for (var n = 0; n < batch.Count; n++)
            {
                batch[n].Completion.TrySetResult(answers[n]);
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

    /// <summary>Stops taking requests, lets queued ones finish (they were admitted), then stops the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.CompleteAdding();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _queue.Dispose();
    }
}
