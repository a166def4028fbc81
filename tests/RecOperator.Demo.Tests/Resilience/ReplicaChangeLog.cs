using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.Demo.Tests.Resilience;

/// <summary>
/// Every change of spec.replicas on a set of Deployments, as a watch delivers them (the watcher lists, then watches with resume; a value equal to the last one seen is no change): a
/// Deployment's first appearance after the initial list, each new replicas value, and its deletion.
/// </summary>
internal sealed class ReplicaChangeLog : IAsyncDisposable
{
    private readonly Dictionary<string, int?> _replicas = new(StringComparer.Ordinal);
    private readonly List<ReplicaChange> _changes = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly Task _run;

    private ReplicaChangeLog(KubeApiClient client, string ns, string labelSelector, IEnumerable<V1Deployment> current)
    {
        foreach (var deployment in current)
        {
            _replicas[deployment.Metadata!.Name!] = deployment.Spec?.Replicas;
        }
        var watcher = new ListWatcher<V1Deployment>(client.For<V1Deployment>(), ns, new ListWatcherOptions { LabelSelector = labelSelector }, NullLogger.Instance);
        _run = Task.Run(() => RecordAsync(watcher, _stop.Token));
    }

    /// <summary>Starts recording from the Deployments as they are now: only later changes count.</summary>
    public static async Task<ReplicaChangeLog> StartAsync(KubeApiClient client, string ns, string labelSelector, CancellationToken ct)
    {
        var current = await client.For<V1Deployment>().ListAsync(ns, new ListOptions { LabelSelector = labelSelector }, ct);
        return new ReplicaChangeLog(client, ns, labelSelector, current.Items);
    }

    public IReadOnlyList<ReplicaChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>The replicas of every Deployment as last seen.</summary>
    public IReadOnlyDictionary<string, int?> Current
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int?>(_replicas, StringComparer.Ordinal);
            }
        }
    }

    private async Task RecordAsync(ListWatcher<V1Deployment> watcher, CancellationToken ct)
    {
        try
        {
            await foreach (var change in watcher.RunAsync(ct))
            {
                var name = change.Object.Metadata!.Name!;
                var replicas = change.Type == WatchEventType.Deleted ? null : change.Object.Spec?.Replicas;
                lock (_gate)
                {
                    var known = _replicas.TryGetValue(name, out var before);
                    if (change.Type != WatchEventType.Bookmark && (!known || before != replicas))
                    {
                        _changes.Add(new ReplicaChange(Stopwatch.GetElapsedTime(_origin), name, known ? before : null, replicas));
                        _replicas[name] = replicas;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
