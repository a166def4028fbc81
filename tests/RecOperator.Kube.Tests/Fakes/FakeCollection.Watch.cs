using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>Watch: replays history after the requested version, then streams new events, one JSON per line.</summary>
public sealed partial class FakeCollection
{
    private readonly List<(Channel<string> Lines, bool Bookmarks)> _watchers = [];
    private CancellationTokenSource _drop = new();
    private int _watchesOpened;

    /// <summary>How many watch connections clients have opened.</summary>
    public int WatchesOpened => Volatile.Read(ref _watchesOpened);

    /// <summary>The resourceVersion each watch request asked for, in order.</summary>
    public List<string?> WatchVersions { get; } = [];

    /// <summary>Aborts every open watch connection, as a restarting server or a broken network would.</summary>
    public void DropWatches()
    {
        lock (_gate)
        {
            var old = _drop;
            _drop = new CancellationTokenSource();
            old.Cancel();
        }
    }

    /// <summary>
    /// Sends a BOOKMARK to watches that asked for bookmarks, after moving the version on by
    /// <paramref name="unrelatedWrites"/> (writes to other collections move the shared version too).
    /// </summary>
    public void SendBookmark(int unrelatedWrites = 0)
    {
        lock (_gate)
        {
            _version += unrelatedWrites;
            var bookmark = new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject
                {
                    ["kind"] = Kind,
                    ["apiVersion"] = apiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Version(_version) },
                },
            }.ToJsonString();
            foreach (var (lines, bookmarks) in _watchers.Where(w => w.Bookmarks))
            {
                lines.Writer.TryWrite(bookmark);
            }
        }
    }

    /// <summary>Writes a raw line to every open watch (for malformed-line tests).</summary>
    public void SendRawLine(string line)
    {
        lock (_gate)
        {
            foreach (var (lines, _) in _watchers)
            {
                lines.Writer.TryWrite(line);
            }
        }
    }

    private void Publish(string type, JsonObject obj)
    {
        _history.Add((_version, type, obj));
        var line = Line(type, obj);
        foreach (var (lines, _) in _watchers)
        {
            lines.Writer.TryWrite(line);
        }
    }

    private async Task WatchAsync(HttpContext context)
    {
        var requested = context.Request.Query["resourceVersion"].ToString();
        var bookmarks = context.Request.Query["allowWatchBookmarks"] == "true";
        var channel = Channel.CreateUnbounded<string>();
        CancellationToken drop;
        lock (_gate)
        {
            Interlocked.Increment(ref _watchesOpened);
            WatchVersions.Add(requested.Length == 0 ? null : requested);
            if (requested.Length > 0 && long.Parse(requested, CultureInfo.InvariantCulture) < _compactedThrough)
            {
                channel.Writer.TryWrite(Line("ERROR", FakeResponses.Status(410, "Expired", $"too old resource version: {requested} ({_compactedThrough})")));
                channel.Writer.Complete();
            }
            else
            {
                // No version: the server first sends the current objects as ADDED, as Kubernetes does.
                var backlog = requested.Length == 0
                    ? _objects.Values.Select(o => Line("ADDED", o))
                    : _history.Where(h => h.Version > long.Parse(requested, CultureInfo.InvariantCulture)).Select(h => Line(h.Type, h.Object));
                foreach (var line in backlog)
                {
                    channel.Writer.TryWrite(line);
                }

                _watchers.Add((channel, bookmarks));
            }

            drop = _drop.Token;
        }

        context.Response.ContentType = "application/json";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, drop);
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(stop.Token))
            {
                await context.Response.WriteAsync(line + "\n", stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (drop.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            lock (_gate)
            {
                _watchers.RemoveAll(w => w.Lines == channel);
            }
        }
    }

    private static string Line(string type, JsonNode obj) => new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();
}
