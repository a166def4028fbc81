using System.Collections.Immutable;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Api;
using RecOperator.DevCluster.Resources;

namespace RecOperator.DevCluster.Storage;

/// <summary>
/// The control plane's storage: every object in memory as immutable JSON, one global monotonic revision,
/// a bounded event history for watch resume, and a write-ahead log that is fsync'd before a write returns.
/// Writes are serialized through one gate so log order, revision order and event order are the same.
/// </summary>
public sealed class ObjectStore : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StoreOptions _options;
    private readonly WriteAheadLog? _log;
    private readonly Queue<StoreEvent> _history = new();
    // Writes change the history under the gate; this lock is for readers that do not take the gate (paged lists).
    private readonly Lock _historyGate = new();
    private readonly Lock _watchersGate = new();
    private ImmutableList<WatchSubscription> _watchers = [];
    private volatile StoreState _state;
    private long _oldestResumable;

    private ObjectStore(StoreOptions options, WriteAheadLog? log, StoreState state)
    {
        _options = options;
        _log = log;
        _state = state;
        _oldestResumable = state.Revision;
    }

    public long Revision => _state.Revision;

    public StoreState Snapshot => _state;

    /// <summary>Opens the store, replaying the log of the data directory when there is one.</summary>
    public static ObjectStore Open(StoreOptions options)
    {
        if (options.DataDirectory is null)
        {
            return new ObjectStore(options, null, StoreState.Empty);
        }
        var (log, records) = WriteAheadLog.Open(options.DataDirectory);
        var state = StoreState.Empty;
        foreach (var r in records)
        {
            state = r.Resource is null
                ? state with { Revision = Math.Max(state.Revision, r.Revision) }
                : state.With(Math.Max(state.Revision, r.Revision), r.Resource, StoredObject.KeyOf(r.Namespace, r.Name),
                    r.Json is null ? null : new StoredObject(r.Namespace, r.Name, r.Revision, r.Json));
        }
        log.Compact(state.Revision, LiveRecords(state));
        return new ObjectStore(options, log, state);
    }

    public StoredObject? Get(string resource, string ns, string name) =>
        _state.Of(resource).GetValueOrDefault(StoredObject.KeyOf(ns, name));

    /// <summary>
    /// Applies one change atomically. <paramref name="mutate"/> sees the current object (or null) and returns the
    /// new object, or null to delete it; it may throw <see cref="ApiException"/> to refuse. A result equal to the
    /// current object is a no-op that keeps the resourceVersion, as on the real server.
    /// </summary>
    public async Task<StoredObject?> CommitAsync(
        string resource, string ns, string name, Func<StoredObject?, JsonObject?> mutate, bool dryRun, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var state = _state;
            var key = StoredObject.KeyOf(ns, name);
            var current = state.Of(resource).GetValueOrDefault(key);
            var next = mutate(current);
            if (next is null && current is null)
            {
                return null;
            }
            if (next is not null && current is not null && Unchanged(current, next))
            {
                return current;
            }
            var revision = state.Revision + 1;
            var written = next ?? current!.Parse();
            if (!dryRun)
            {
                JsonTree.Metadata(written)["resourceVersion"] = Rv(revision);
            }
            else if (current is not null)
            {
                JsonTree.Metadata(written)["resourceVersion"] = Rv(current.ResourceVersion);
            }
            else
            {
                // kube-apiserver's dry-run storage returns the prepared object without committing it: no revision was
                // assigned, and ObjectMeta omits an empty resourceVersion, so a dry-run create answers without the field.
                JsonTree.Metadata(written).Remove("resourceVersion");
            }
            var stored = new StoredObject(ns, name, revision, JsonTree.ToBytes(written));
            if (dryRun)
            {
                return stored;
            }
            if (_log is not null)
            {
                // Still inside the gate, so log order stays revision order; awaited, so no pool thread waits on the disk.
                await _log.AppendAsync(new WalRecord(revision, resource, ns, name, next is null ? null : stored.Json)).ConfigureAwait(false);
            }
            var type = next is null ? WatchEventType.Deleted : current is null ? WatchEventType.Added : WatchEventType.Modified;
            var change = new StoreEvent(type, resource, stored, current);
            // The history gets the event before the state shows it, so a reader that sees a state finds every event up
            // to its revision in the history (SnapshotAt relies on that).
            Record(change);
            _state = state.With(revision, resource, key, next is null ? null : stored);
            Notify(change);
            await CompactIfDueAsync().ConfigureAwait(false);
            return stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One resource's objects as they were at <paramref name="revision"/>, for the later pages of a paged list: the
    /// current objects with the history's later events undone (an added object removed, a changed or deleted one put
    /// back as it was). The result holds only that resource. Null when the revision is older than the history window
    /// (or newer than the store, a token from before a restart that lost writes): the caller answers 410.
    /// </summary>
    public StoreState? SnapshotAt(string resource, long revision)
    {
        var state = _state;
        if (revision == state.Revision)
        {
            return new StoreState(revision, ImmutableDictionary<string, ImmutableSortedDictionary<string, StoredObject>>.Empty.Add(resource, state.Of(resource)));
        }
        var later = new List<StoreEvent>();
        lock (_historyGate)
        {
            if (revision < _oldestResumable || revision > state.Revision)
            {
                return null;
            }
            // Events after the state was read belong to a newer state: they are not undone.
            later.AddRange(_history.Where(e => e.Resource == resource && e.ResourceVersion > revision && e.ResourceVersion <= state.Revision));
        }
        var objects = state.Of(resource).ToBuilder();
        for (var i = later.Count - 1; i >= 0; i--)
        {
            var change = later[i];
            if (change.Previous is null)
            {
                objects.Remove(change.Object.Key);
            }
            else
            {
                objects[change.Object.Key] = change.Previous;
            }
        }
        return new StoreState(revision, ImmutableDictionary<string, ImmutableSortedDictionary<string, StoredObject>>.Empty.Add(resource, objects.ToImmutable()));
    }

    /// <summary>
    /// Subscribes to a resource's changes after <paramref name="fromRevision"/>. Throws 410 Gone when that
    /// revision has left the history window, so the client knows to relist.
    /// </summary>
    public async Task<WatchSubscription> WatchAsync(string resource, long fromRevision, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (fromRevision < _oldestResumable)
            {
                throw ApiErrors.Gone($"too old resource version: {fromRevision} ({_oldestResumable})");
            }
            var backlog = _history.Where(e => e.Resource == resource && e.ResourceVersion > fromRevision).ToList();
            var subscription = new WatchSubscription(resource, backlog, _options.WatcherBuffer, Unsubscribe);
            lock (_watchersGate)
            {
                _watchers = _watchers.Add(subscription);
            }
            return subscription;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _log?.Dispose();
        _gate.Dispose();
    }

    private static string Rv(long revision) => revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool Unchanged(StoredObject current, JsonObject next)
    {
        var copy = JsonTree.Clone(next);
        JsonTree.Metadata(copy)["resourceVersion"] = Rv(current.ResourceVersion);
        return JsonNode.DeepEquals(copy, current.Parse());
    }

    private void Record(StoreEvent change)
    {
        lock (_historyGate)
        {
            _history.Enqueue(change);
            while (_history.Count > _options.HistoryWindow)
            {
                _oldestResumable = _history.Dequeue().ResourceVersion;
            }
        }
    }

    private void Notify(StoreEvent change)
    {
        foreach (var watcher in _watchers)
        {
            if (watcher.Resource == change.Resource)
            {
                watcher.Offer(change);
            }
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_watchersGate)
        {
            _watchers = _watchers.Remove(subscription);
        }
    }

    private async Task CompactIfDueAsync()
    {
        if (_log is null)
        {
            return;
        }
        var live = _state.Resources.Values.Sum(r => r.Count);
        if (_log.RecordsSinceCompaction > live + _options.CompactionSlack)
        {
            // The state is immutable: the I/O thread enumerates this revision's objects whatever comes after.
            var state = _state;
            await _log.CompactAsync(state.Revision, LiveRecords(state)).ConfigureAwait(false);
        }
    }

    private static IEnumerable<WalRecord> LiveRecords(StoreState state) =>
        state.Resources.SelectMany(r => r.Value.Values.Select(o => new WalRecord(o.ResourceVersion, r.Key, o.Namespace, o.Name, o.Json)));
}
