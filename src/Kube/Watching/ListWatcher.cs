using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;

namespace RecOperator.Kube.Watching;

/// <summary>
/// List then watch, forever, like client-go's reflector: a dropped connection resumes from the last
/// resourceVersion seen (bookmarks included); a 410 Gone relists and reports the difference to the last known
/// state, so no change is missed; an unreachable server is retried with exponential backoff, never thrown.
/// </summary>
public sealed partial class ListWatcher<T>
    where T : class
{
    private readonly ResourceClient<T> _client;
    private readonly string? _namespace;
    private readonly ListWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, T> _known = new(StringComparer.Ordinal);
    private TimeSpan _backoff;
    private volatile bool _connected;
    private volatile bool _synced;

    public ListWatcher(ResourceClient<T> client, string? ns, ListWatcherOptions? options, ILogger logger, TimeProvider? timeProvider = null)
    {
        (_client, _namespace, _logger) = (client, ns, logger);
        _options = options ?? new ListWatcherOptions();
        _time = timeProvider ?? TimeProvider.System;
        _backoff = _options.InitialBackoff;
    }

    /// <summary>
    /// True once every change of the first list has been delivered and consumed. The iterator resumes after its last
    /// yield only when the consumer asks for the next item, so an informer's cache holds the whole list by then: a
    /// reconciler gated on this never reads a partial cache (it once took a settled fleet's Deployments for none).
    /// </summary>
    public bool HasSynced => _synced;

    /// <summary>False while the server cannot be reached or refuses us; readiness reports this.</summary>
    public bool IsConnected => _connected;

    /// <summary>The resourceVersion a resumed watch would start from.</summary>
    public string? ResourceVersion { get; private set; }

    public async IAsyncEnumerable<WatchEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (needList)
            {
                var changes = await TryRelistAsync(cancellationToken).ConfigureAwait(false);
                if (changes is null)
                {
                    await BackOffAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var change in changes)
                {
                    yield return change;
                }

                _synced = true;
                needList = false;
            }

            var options = new ListOptions
            {
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                ResourceVersion = ResourceVersion,
                AllowWatchBookmarks = true,
                TimeoutSeconds = _options.WatchTimeoutSeconds,
            };
            await using var events = _client.WatchAsync(_namespace, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            var received = 0;
            while (true)
            {
                var (outcome, failure) = await NextAsync(events, cancellationToken).ConfigureAwait(false);
                if (outcome == WatchStep.Gone)
                {
                    LogGone(_logger, _client.Descriptor.Kind, ResourceVersion);
                    needList = true;
                    break;
                }

                if (outcome == WatchStep.Failed)
                {
                    LogWatchFailed(_logger, _client.Descriptor.Kind, failure!.Message);
                    _connected = false;
                    await BackOffAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                if (outcome == WatchStep.Ended)
                {
                    // A server that closes every watch at once would otherwise be hammered in a tight loop.
                    if (received == 0)
                    {
                        await BackOffAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                received++;

                var change = events.Current;
                _connected = true;
                _backoff = _options.InitialBackoff;
                var id = _client.Identify(change.Object);
                ResourceVersion = id.ResourceVersion ?? ResourceVersion;
                if (change.Type == WatchEventType.Bookmark)
                {
                    continue;
                }

                if (change.Type == WatchEventType.Deleted)
                {
                    _known.Remove(id.Key);
                }
                else
                {
                    _known[id.Key] = change.Object;
                }

                yield return change;
            }
        }
    }

    private async Task<(WatchStep, Exception?)> NextAsync(IAsyncEnumerator<WatchEvent<T>> events, CancellationToken cancellationToken)
    {
        try
        {
            return (await events.MoveNextAsync().ConfigureAwait(false) ? WatchStep.Event : WatchStep.Ended, null);
        }
        catch (KubeGoneException)
        {
            return (WatchStep.Gone, null);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return (WatchStep.Failed, e);
        }
    }

    private async Task<IReadOnlyList<WatchEvent<T>>?> TryRelistAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Paged, and listed again in full when a continue token expires mid-list, as the reflector's pager does:
            // a busy cluster that compacts faster than a large list pages would otherwise fail every relist.
            var options = new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize };
            var listed = await _client.ListWholeAsync(_namespace, options, cancellationToken).ConfigureAwait(false);
            var (fresh, version) = (listed.Items, listed.ResourceVersion);
            var changes = ListDiff.Compute(_known, fresh, o => (_client.Identify(o).Key, _client.Identify(o).ResourceVersion));
            _known.Clear();
            foreach (var obj in fresh)
            {
                _known[_client.Identify(obj).Key] = obj;
            }

            (ResourceVersion, _connected, _backoff) = (version, true, _options.InitialBackoff);
            LogListed(_logger, _client.Descriptor.Kind, fresh.Count, version, changes.Count);
            return changes;
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            _connected = false;
            LogListFailed(_logger, _client.Descriptor.Kind, e.Message, _backoff);
            return null;
        }
    }

    private async Task BackOffAsync(CancellationToken cancellationToken)
    {
        var wait = _backoff;
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the loop condition ends the enumeration.
        }
    }

    // Everything except our own cancellation is worth another try: network errors, timeouts, 5xx, even 403
    // (RBAC may be fixed while we wait), as the reflector does.
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or TimeoutException
            or KubeApiException or System.Text.Json.JsonException or OperationCanceledException;

    private enum WatchStep
    {
        Event,
        Ended,
        Gone,
        Failed,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "listed {Kind}: {Count} objects at resourceVersion {Version}, {Changes} changes")]
    private static partial void LogListed(ILogger logger, string kind, int count, string? version, int changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "listing {Kind} failed ({Error}); retrying in {Backoff}")]
    private static partial void LogListFailed(ILogger logger, string kind, string error, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Kind} at {Version} is gone (410); relisting")]
    private static partial void LogGone(ILogger logger, string kind, string? version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch of {Kind} failed ({Error}); resuming after backoff")]
    private static partial void LogWatchFailed(ILogger logger, string kind, string error);
}
