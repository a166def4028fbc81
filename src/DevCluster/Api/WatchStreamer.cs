using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecOperator.DevCluster.Resources;
using RecOperator.DevCluster.Storage;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// `?watch=true`: a chunked stream of line-delimited `{"type","object"}` events. Without a resourceVersion
/// (or with "0") the current objects come first as ADDED; with one, the stream resumes after it, or
/// carries a single ERROR event with a 410 Expired Status when that version left the history window.
/// Selector transitions become ADDED/DELETED; BOOKMARKs carry the latest revision when asked for.
/// `sendInitialEvents=true` (watch-list) sends the current state, then a bookmark annotated
/// `k8s.io/initial-events-end` (the state is always served from the latest revision here).
/// </summary>
public sealed class WatchStreamer
{
    private readonly ObjectStore _store;
    private readonly TimeSpan _bookmarkInterval;
    private readonly TimeProvider _time;

    public WatchStreamer(ObjectStore store, TimeSpan bookmarkInterval, TimeProvider time)
    {
        _store = store;
        _bookmarkInterval = bookmarkInterval;
        _time = time;
    }

    public async Task StreamAsync(HttpContext context, ResourceType type, string? ns, CancellationToken ct)
    {
        var query = context.Request.Query;
        var selector = ListQuery.From(query, type) with { Limit = 0, Continue = null };
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var asTable = TableConverter.Wanted(context.Request.Headers.Accept);
        var rvText = query["resourceVersion"].ToString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (long.TryParse(query["timeoutSeconds"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        var initial = new List<JsonObject>();
        long from;
        var sendInitial = query["sendInitialEvents"] == "true";
        if (string.IsNullOrEmpty(rvText) || rvText == "0" || sendInitial)
        {
            var snapshot = _store.Snapshot;
            initial = selector.Page(snapshot, type.StorageKey, ns).Items;
            from = snapshot.Revision;
        }
        else
        {
            // An integer: ListQuery.From above refused anything else.
            from = long.Parse(rvText, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = new EventWriter(context.Response, type, asTable, context.Request.Query["includeObject"], _time);
        WatchSubscription subscription;
        try
        {
            subscription = await _store.WatchAsync(type.StorageKey, from, timeout.Token).ConfigureAwait(false);
        }
        catch (ApiException gone) when (gone.Code == 410)
        {
            await writer.WriteAsync("ERROR", HttpIo.StatusOf(gone), ct).ConfigureAwait(false);
            return;
        }
        using (subscription)
        {
            foreach (var obj in initial)
            {
                await writer.WriteAsync("ADDED", ResourceService.Present(type, obj), timeout.Token).ConfigureAwait(false);
            }
            if (sendInitial && bookmarks)
            {
                // The watch-list protocol: a bookmark marks where the initial state ends.
                await writer.WriteBookmarkAsync(from, timeout.Token, initialEventsEnd: true).ConfigureAwait(false);
            }
            await context.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                foreach (var change in subscription.Backlog)
                {
                    await Forward(writer, type, ns, selector, change, timeout.Token).ConfigureAwait(false);
                }
                await PumpAsync(writer, subscription, type, ns, selector, bookmarks, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // timeoutSeconds elapsed or the client went away: the stream ends normally, the client re-watches.
            }
        }
    }

    private async Task PumpAsync(EventWriter writer, WatchSubscription subscription, ResourceType type, string? ns, ListQuery selector, bool bookmarks, CancellationToken ct)
    {
        while (true)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(_bookmarkInterval);
            bool more;
            try
            {
                more = await subscription.Events.WaitToReadAsync(tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (bookmarks)
                {
                    await writer.WriteBookmarkAsync(_store.Revision, ct).ConfigureAwait(false);
                }
                continue;
            }
            if (!more)
            {
                return;
            }
            while (subscription.Events.TryRead(out var change))
            {
                await Forward(writer, type, ns, selector, change, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task Forward(EventWriter writer, ResourceType type, string? ns, ListQuery selector, StoreEvent change, CancellationToken ct)
    {
        if (ns is not null && change.Object.Namespace != ns)
        {
            return;
        }
        if (writer.CanPassThrough && selector.IsEverything)
        {
            // The stored bytes already are the wire form: no parse, no re-serialization per watcher.
            await writer.WriteRawAsync(change.Type.ToString().ToUpperInvariant(), change.Object.Json, ct).ConfigureAwait(false);
            return;
        }
        JsonObject? current = null;
        var nowMatches = change.Type != WatchEventType.Deleted && selector.Matches(change.Object, out current);
        var matchedBefore = change.Previous is not null && selector.Matches(change.Previous, out _);
        var eventType = change.Type switch
        {
            WatchEventType.Added when nowMatches => "ADDED",
            WatchEventType.Modified when nowMatches && matchedBefore => "MODIFIED",
            WatchEventType.Modified when nowMatches => "ADDED",
            WatchEventType.Modified when matchedBefore => "DELETED",
            WatchEventType.Deleted when matchedBefore => "DELETED",
            _ => null,
        };
        if (eventType is not null)
        {
            await writer.WriteAsync(eventType, ResourceService.Present(type, current ?? change.Object.Parse()), ct).ConfigureAwait(false);
        }
    }
}
