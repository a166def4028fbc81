using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;

namespace RecOperator.Kube.Tests;

public sealed class ListWatcherTests : IAsyncLifetime
{
    private static readonly ListWatcherOptions Fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), PageSize = 2 };
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private FakeApiServer _server = null!;
    private FakeCollection _maps = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _maps = _server.AddCollection("/api/v1/namespaces/default/configmaps", "ConfigMap", "v1");
        _client = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_ServerDropsWatch_ResumesFromLastVersionWithoutMissingOrRepeating()
    {
        _maps.Seed("a");
        var (events, watcher) = Start();
        (await Next(events)).Should().Be((WatchEventType.Added, "a"));
        await ReceiveModification(events);

        _maps.DropWatches();
        _maps.Seed("b"); // happens while the client is disconnected

        (await Next(events)).Should().Be((WatchEventType.Added, "b"));
        _maps.Modify("a", o => o["data"] = new JsonObject { ["x"] = "2" });
        (await Next(events)).Should().Be((WatchEventType.Modified, "a"));
        _maps.WatchesOpened.Should().BeGreaterThanOrEqualTo(2);
        _maps.WatchVersions.Skip(1).Should().OnlyContain(v => v != null, "a resumed watch names the version it resumes from");
        watcher.HasSynced.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_WatchGetsGone_RelistsAndReportsTheDifference()
    {
        _maps.Seed("keep");
        _maps.Seed("change");
        _maps.Seed("remove");
        var (events, _) = Start();
        for (var i = 0; i < 3; i++)
        {
            await Next(events);
        }

        await ReceiveModification(events);
        _maps.DropWatches();
        _maps.Modify("change", o => o["data"] = new JsonObject { ["v"] = "2" });
        _maps.Remove("remove");
        _maps.Seed("new");
        _maps.Compact(); // those events are gone from history: only a relist can reveal them

        var seen = new List<(WatchEventType, string)>();
        for (var i = 0; i < 3; i++)
        {
            seen.Add(await Next(events));
        }

        seen.Should().BeEquivalentTo([(WatchEventType.Modified, "change"), (WatchEventType.Added, "new"), (WatchEventType.Deleted, "remove")]);
        _server.Requests.Count(r => r.PathAndQuery.Contains("limit=2", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(4, "initial list and relist are paged");
    }

    [Fact]
    public async Task RunAsync_Bookmark_ResumedWatchStartsFromBookmarkVersion()
    {
        _maps.Seed("a");
        var (events, watcher) = Start();
        await Next(events);
        await ReceiveModification(events);
        var lastEventVersion = watcher.ResourceVersion;

        _maps.SendBookmark(unrelatedWrites: 50);
        var bookmarkVersion = _maps.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.Until(() => watcher.ResourceVersion == bookmarkVersion);
        bookmarkVersion.Should().NotBe(lastEventVersion);
        _maps.DropWatches();

        await Eventually.Until(() => _maps.WatchVersions.Count >= 2);
        _maps.WatchVersions[^1].Should().Be(bookmarkVersion);
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_RetriesWithBackoffAndReportsNotConnected()
    {
        var port = _server.BaseAddress.Port;
        await _server.DisposeAsync();
        var time = new ManualTimeProvider();
        var logger = new ListLogger();
        using var client = new KubeApiClient(KubeClientConfig.ForServer(new Uri($"http://127.0.0.1:{port}")));
        var watcher = new ListWatcher<V1ConfigMap>(client.For<V1ConfigMap>(), "default", new ListWatcherOptions(), logger, time);
        var run = Task.Run(async () =>
        {
            await foreach (var unused in watcher.RunAsync(_stop.Token))
            {
            }
        });

        foreach (var expected in new[] { 0.8, 1.6, 3.2 })
        {
            await Eventually.Until(() => time.PendingTimers > 0);
            logger.Messages.Last().Should().Contain($"retrying in {TimeSpan.FromSeconds(expected)}");
            watcher.IsConnected.Should().BeFalse();
            time.Advance(TimeSpan.FromSeconds(expected));
            await Eventually.Until(() => time.PendingTimers == 0 || run.IsCompleted);
        }

        run.IsCompleted.Should().BeFalse("an unreachable server is never a crash");
        watcher.HasSynced.Should().BeFalse();
        _server = await FakeApiServer.StartAsync(); // DisposeAsync of the fixture needs a live server
    }

    private (Channel<(WatchEventType, string)>, ListWatcher<V1ConfigMap>) Start()
    {
        var watcher = new ListWatcher<V1ConfigMap>(_client.For<V1ConfigMap>(), "default", Fast, NullLogger.Instance);
        var channel = Channel.CreateUnbounded<(WatchEventType, string)>();
        _ = Task.Run(async () =>
        {
            await foreach (var e in watcher.RunAsync(_stop.Token))
            {
                await channel.Writer.WriteAsync((e.Type, e.Object.Metadata!.Name!));
            }
        });
        return (channel, watcher);
    }

    // The watch is open once a change made now arrives through it.
    private async Task ReceiveModification(Channel<(WatchEventType, string)> events)
    {
        var name = "probe-" + Guid.NewGuid().ToString("N")[..6];
        _maps.Seed(name);
        (await Next(events)).Should().Be((WatchEventType.Added, name));
    }

    private async Task<(WatchEventType, string)> Next(Channel<(WatchEventType, string)> events)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(timeout.Token);
    }
}
