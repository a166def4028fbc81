using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Lifecycle;

/// <summary>
/// kube-apiserver's --event-ttl: an Event is stored with a lease of the TTL, renewed by every write, so one that
/// nothing has written to (no new occurrence, no series count) for the TTL disappears. Here a loop sweeps the store
/// (core and events.k8s.io Events are one store) a few times per TTL and deletes those whose last write is older;
/// their watchers see DELETED, as when etcd expires a key. Keeps a busy DevCluster's Event store bounded.
/// </summary>
public sealed class EventExpiry(ResourceService service, TimeSpan ttl, TimeProvider time)
{
    // Swept four times per TTL (an Event lives at most a quarter TTL past it), at most once a minute for the hour default.
    private static readonly TimeSpan LongestSweepInterval = TimeSpan.FromMinutes(1);

    public TimeSpan SweepInterval => ttl / 4 < LongestSweepInterval ? ttl / 4 : LongestSweepInterval;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(SweepInterval, time, ct).ConfigureAwait(false);
            await SweepAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes every expired Event; returns how many it found expired.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var events = service.Registry.Find("", "v1", "events")!.StorageKey;
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var stored in service.Store.Snapshot.Of(events).Values)
        {
            if (!IsExpired(stored.Parse(), now, ttl))
            {
                continue;
            }
            // Re-checked under the store's lock: an occurrence counted on it since the snapshot keeps it alive.
            await service.Store.CommitAsync(events, stored.Namespace, stored.Name,
                current => current is not null && !IsExpired(current.Parse(), now, ttl) ? current.Parse() : null, false, ct).ConfigureAwait(false);
            expired++;
        }
        return expired;
    }

    /// <summary>True when the Event's last write (its latest timestamp of any kind) is at least <paramref name="ttl"/> before <paramref name="now"/>.</summary>
    public static bool IsExpired(JsonObject coreEvent, DateTimeOffset now, TimeSpan ttl) =>
        LastWritten(coreEvent) is { } last && now - last >= ttl;

    /// <summary>
    /// When the Event was last written, as far as it says: the latest of series.lastObservedTime, lastTimestamp,
    /// eventTime and creationTimestamp (the recorders that count repeats write one of the first two).
    /// </summary>
    public static DateTimeOffset? LastWritten(JsonObject coreEvent)
    {
        ArgumentNullException.ThrowIfNull(coreEvent);
        DateTimeOffset? latest = null;
        foreach (var path in new[] { "series.lastObservedTime", "lastTimestamp", "eventTime", "metadata.creationTimestamp" })
        {
            if (DateTimeOffset.TryParse(JsonTree.GetString(coreEvent, path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && (latest is null || at > latest))
            {
                latest = at;
            }
        }
        return latest;
    }
}
