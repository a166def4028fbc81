using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Tests.Shared;

namespace RecOperator.Kube.Tests;

public sealed class ListWatcherTests : FakeServerTest
{
    private static readonly ListWatcherOptions Fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50), PageSize = 2 };
    [Fact]
    public async Task RunAsync_ServerDropsWatch_ResumesFromLastVersionWithoutMissingOrRepeating()
    {
        ConfigMaps.Seed("a");
        var (events, watcher) = Start();
        (await Next(events)).Should().Be((WatchEventType.Added, "a"));
        await ReceiveModification(events);

        ConfigMaps.DropWatches();
        ConfigMaps.Seed("b"); // happens while the client is disconnected

        (await Next(events)).Should().Be((WatchEventType.Added, "b"));
        ConfigMaps.Modify("a", o => o["data"] = new JsonObject { ["x"] = "2" });
        (await Next(events)).Should().Be((WatchEventType.Modified, "a"));
        ConfigMaps.WatchesOpened.Should().BeGreaterThanOrEqualTo(2);
        ConfigMaps.WatchVersions.Skip(1).Should().OnlyContain(v => v != null, "a resumed watch names the version it resumes from");
        watcher.HasSynced.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_WatchGetsGone_RelistsAndReportsTheDifference()
    {
        ConfigMaps.Seed("keep");
        ConfigMaps.Seed("change");
        ConfigMaps.Seed("remove");
        var (events, _) = Start();
        for (var i = 0; i < 3; i++)
        {
            await Next(events);
        }

        await ReceiveModification(events);
        ConfigMaps.DropWatches();
        ConfigMaps.Modify("change", o => o["data"] = new JsonObject { ["v"] = "2" });
        ConfigMaps.Remove("remove");
        ConfigMaps.Seed("new");
        ConfigMaps.Compact(); // those events are gone from history: only a relist can reveal them

        var seen = new List<(WatchEventType, string)>();
        for (var i = 0; i < 3; i++)
        {
            seen.Add(await Next(events));
        }

        seen.Should().BeEquivalentTo([(WatchEventType.Modified, "change"), (WatchEventType.Added, "new"), (WatchEventType.Deleted, "remove")]);
        Server.Requests.Count(r => r.PathAndQuery.Contains("limit=2", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(4, "initial list and relist are paged");
    }

    [Fact]
    public async Task RunAsync_Bookmark_ResumedWatchStartsFromBookmarkVersion()
    {
        ConfigMaps.Seed("a");
        var (events, watcher) = Start();
        await Next(events);
        await ReceiveModification(events);
        var lastEventVersion = watcher.ResourceVersion;

        ConfigMaps.SendBookmark(unrelatedWrites: 50);
        var bookmarkVersion = ConfigMaps.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.Until(() => watcher.ResourceVersion == bookmarkVersion);
        bookmarkVersion.Should().NotBe(lastEventVersion);
        ConfigMaps.DropWatches();

        await Eventually.Until(() => ConfigMaps.WatchVersions.Count >= 2);
        ConfigMaps.WatchVersions[^1].Should().Be(bookmarkVersion);
    }

    [Fact]
    public async Task RunAsync_UnreachableServer_RetriesWithBackoffAndReportsNotConnected()
    {
        var port = UnusedPort();
        var time = new ManualTimeProvider();
        var logger = new ListLogger();
        using var client = new KubeApiClient(KubeClientConfig.ForServer(new Uri($"http://127.0.0.1:{port}")));
        var watcher = new ListWatcher<V1ConfigMap>(client.For<V1ConfigMap>(), "default", new ListWatcherOptions(), logger, time);
        var run = Task.Run(async () =>
        {
            await foreach (var unused in watcher.RunAsync(Stopping))
            {
            }
        });

        double[] backoffs = [0.8, 1.6, 3.2];
        for (var attempt = 0; attempt < backoffs.Length; attempt++)
        {
            // Attempt n has failed and its backoff timer is set: only advancing the clock lets attempt n+1 start.
            await Eventually.Until(() => logger.Messages.Count == attempt + 1 && time.PendingTimers > 0);
            logger.Messages.Last().Should().Contain($"retrying in {TimeSpan.FromSeconds(backoffs[attempt])}");
            watcher.IsConnected.Should().BeFalse();
            time.Advance(TimeSpan.FromSeconds(backoffs[attempt]));
        }

        await Eventually.Until(() => logger.Messages.Count == backoffs.Length + 1);

        run.IsCompleted.Should().BeFalse("an unreachable server is never a crash");
        watcher.HasSynced.Should().BeFalse();
    }

    private (Channel<(WatchEventType, string)>, ListWatcher<V1ConfigMap>) Start()
    {
        var watcher = new ListWatcher<V1ConfigMap>(Client.For<V1ConfigMap>(), "default", Fast, NullLogger.Instance);
        var channel = Channel.CreateUnbounded<(WatchEventType, string)>();
        _ = Task.Run(async () =>
        {
            await foreach (var e in watcher.RunAsync(Stopping))
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
        ConfigMaps.Seed(name);
        (await Next(events)).Should().Be((WatchEventType.Added, name));
    }

    private async Task<(WatchEventType, string)> Next(Channel<(WatchEventType, string)> events)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(timeout.Token);
    }
}
