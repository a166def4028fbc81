using RecOperator.DevCluster.NodeAgent;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Tests.Disruption;

/// <summary>
/// Watches a namespace's pods and keeps, after every event, the number that serve (Ready and not terminating): the
/// fewest ever seen is what a budget promised to keep. Also keeps each deleted pod's last state (its DELETED event's).
/// </summary>
public sealed class ReadyPodsRecorder : IAsyncDisposable
{
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _lastBeforeDeletion = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private readonly object _gate = new();
    private int _fewestServing;

    private ReadyPodsRecorder(KubeApiClient client, string ns, string resourceVersion, IEnumerable<V1Pod> pods)
    {
        foreach (var pod in pods)
        {
            _pods[pod.Metadata!.Name!] = pod;
        }
        _fewestServing = Serving();
        _watching = Task.Run(() => WatchAsync(client, ns, resourceVersion, _stop.Token));
    }

    public int FewestServing
    {
        get
        {
            lock (_gate)
            {
                return _fewestServing;
            }
        }
    }

    /// <summary>Each deleted pod as it was seen last, keyed by name.</summary>
    public IReadOnlyDictionary<string, V1Pod> Deleted
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, V1Pod>(_lastBeforeDeletion, StringComparer.Ordinal);
            }
        }
    }

    public static async Task<ReadyPodsRecorder> StartAsync(KubeApiClient client, string ns)
    {
        var list = await client.For<V1Pod>().ListAsync(ns);
        return new ReadyPodsRecorder(client, ns, list.ResourceVersion!, list.Items);
    }

    private async Task WatchAsync(KubeApiClient client, string ns, string resourceVersion, CancellationToken ct)
    {
        try
        {
            await foreach (var change in client.For<V1Pod>().WatchAsync(ns, new ListOptions { ResourceVersion = resourceVersion }, ct))
            {
                var name = change.Object.Metadata!.Name!;
                lock (_gate)
                {
                    if (change.Type == WatchEventType.Deleted)
                    {
                        _lastBeforeDeletion[name] = change.Object;
                        _pods.Remove(name);
                    }
                    else if (change.Type != WatchEventType.Bookmark)
                    {
                        _pods[name] = change.Object;
                    }
                    _fewestServing = Math.Min(_fewestServing, Serving());
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private int Serving() => _pods.Values.Count(p => PodView.IsReady(p) && !PodView.IsTerminating(p));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (HttpRequestException)
        {
            // The server went first.
        }
        _stop.Dispose();
    }
}
