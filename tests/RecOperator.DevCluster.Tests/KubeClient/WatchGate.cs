using System.Collections.Concurrent;

namespace RecOperator.DevCluster.Tests.KubeClient;

/// <summary>
/// Sits between a client and its socket: records every request's path and query, and while closed holds each new
/// watch request before it reaches the server. A watcher whose watch the server ended is then provably disconnected,
/// so a test can change the cluster in that gap and see how the watcher catches up.
/// </summary>
internal sealed class WatchGate() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _opened = NewOpened();
    private int _held;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Watch requests waiting at the closed gate.</summary>
    public int HeldWatches => Volatile.Read(ref _held);

    public IReadOnlyList<string> Watches => Requests.Where(IsWatch).ToList();

    public IReadOnlyList<string> Lists => Requests.Where(r => !IsWatch(r)).ToList();

    public void Close()
    {
        lock (_gate)
        {
            if (_opened.Task.IsCompleted)
            {
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Open()
    {
        lock (_gate)
        {
            _opened.TrySetResult();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pathAndQuery = request.RequestUri!.PathAndQuery;
        Requests.Enqueue(pathAndQuery);
        if (IsWatch(pathAndQuery))
        {
            Task opened;
            lock (_gate)
            {
                opened = _opened.Task;
            }

            Interlocked.Increment(ref _held);
            try
            {
                await opened.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsWatch(string pathAndQuery) => pathAndQuery.Contains("watch=true", StringComparison.Ordinal);

    private static TaskCompletionSource NewOpened()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        opened.SetResult();
        return opened;
    }
}
