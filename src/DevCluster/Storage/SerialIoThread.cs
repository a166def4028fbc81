using System.Collections.Concurrent;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// One thread of its own that runs blocking file work (a write and its fsync) in the order it was queued. .NET has no
/// asynchronous fsync, and an fsync on a busy disk takes tens to hundreds of milliseconds: run on a thread-pool thread
/// it holds that thread, and on a two-core host the pool keeps only two ready, so the router, load generator and
/// controllers sharing the process would wait until the pool injects more (about half a second each). Callers await
/// instead; their continuations run on the pool, never on this thread.
/// </summary>
public sealed class SerialIoThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public SerialIoThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="action"/>; the task completes (or faults with its exception) once it has run.</summary>
    public Task RunAsync(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
        });
        return done.Task;
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }

    /// <summary>Runs what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }
}
