using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Tests.KubeClient;

/// <summary>
/// <see cref="ListWatcher{T}"/> against the project's API server: the server itself ends watches (timeoutSeconds),
/// forgets old resource versions (a small history window) and sends bookmarks. A <see cref="WatchGate"/> holds the
/// watcher's next watch so the cluster can change while it is provably disconnected.
/// </summary>
public sealed class ListWatcherOnDevClusterTests : IAsyncLifetime
{
    private const int HistoryWindow = 50;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly WatchGate _gate = new();
    private DevClusterServer? _server;
    private KubeApiClient? _watcherClient;
    private KubeApiClient _user = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _gate.Open();
        _watcherClient?.Dispose();
        _user?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_ServerEndsWatch_ResumesFromLastVersionAndReportsEveryChangeInBetween()
    {
        await StartClusterAsync(bookmarkInterval: TimeSpan.FromMinutes(1));
        await CreateAsync("default", "a");
        var (events, watcher) = StartWatcher(watchTimeoutSeconds: 1);
        (await NextAsync(events)).Should().Be((WatchEventType.Added, "a", "1"));
        var listedAt = watcher.ResourceVersion;

        var resumed = await DisconnectAsync();
        await CreateAsync("default", "b");
        await SetAsync("a", "2");
        await SetAsync("a", "3");
        await CreateAsync("default", "flash");
        await _user.For<V1ConfigMap>().DeleteAsync("flash", "default");
        _gate.Open();

        var seen = new List<(WatchEventType, string, string?)>();
        for (var i = 0; i < 5; i++)
        {
            seen.Add(await NextAsync(events));
        }

        // Only a resumed watch reports the intermediate "2" and the short-lived "flash"; a relist would not.
        seen.Should().Equal(
            (WatchEventType.Added, "b", "1"), (WatchEventType.Modified, "a", "2"), (WatchEventType.Modified, "a", "3"),
            (WatchEventType.Added, "flash", "1"), (WatchEventType.Deleted, "flash", "1"));
        resumed.Should().Contain($"resourceVersion={listedAt}");
        _gate.Lists.Should().ContainSingle("resuming needs no relist");
    }

    [Fact]
    public async Task RunAsync_ResumeVersionCompactedAway_RelistsAndReportsTheNetDifference()
    {
        await StartClusterAsync(bookmarkInterval: TimeSpan.FromMinutes(1));
        foreach (var name in new[] { "keep", "change", "remove" })
        {
            await CreateAsync("default", name);
        }

        var (events, _) = StartWatcher(watchTimeoutSeconds: 1);
        for (var i = 0; i < 3; i++)
        {
            await NextAsync(events);
        }

        await DisconnectAsync();
        await SetAsync("change", "2");
        await _user.For<V1ConfigMap>().DeleteAsync("remove", "default");
        await CreateAsync("default", "new");
        await CreateAsync("default", "flash");
        await _user.For<V1ConfigMap>().DeleteAsync("flash", "default");
        await ChurnAsync(HistoryWindow + 10); // the watcher's version leaves the server's history: resuming gets 410
        _gate.Open();

        var seen = new List<(WatchEventType, string, string?)>();
        for (var i = 0; i < 3; i++)
        {
            seen.Add(await NextAsync(events));
        }

        seen.Should().BeEquivalentTo([(WatchEventType.Modified, "change", "2"), (WatchEventType.Deleted, "remove", "1"), (WatchEventType.Added, "new", "1")]);
        _gate.Lists.Should().HaveCount(2, "the first list and the relist after 410");
        await CreateAsync("default", "after");
        (await NextAsync(events)).Should().Be((WatchEventType.Added, "after", "1"), "the watch resumed from the relist and the short-lived object left no trace");
    }

    [Fact]
    public async Task RunAsync_Bookmarks_ResumedWatchStartsFromBookmarkVersionWithoutRelist()
    {
        await StartClusterAsync(bookmarkInterval: TimeSpan.FromMilliseconds(200));
        await CreateAsync("default", "a");
        var (events, watcher) = StartWatcher(watchTimeoutSeconds: 2);
        await NextAsync(events);

        // Writes the namespaced watch never sees: only a bookmark can move the watcher's version past them.
        await ChurnAsync(HistoryWindow + 10);
        var latest = (await _user.For<V1ConfigMap>().ListAsync("kube-system")).ResourceVersion;
        (await Eventually.TrueAsync(() => Task.FromResult(watcher.ResourceVersion == latest))).Should().BeTrue("a bookmark carries the latest version");

        var resumed = await DisconnectAsync();
        await CreateAsync("default", "b");
        _gate.Open();

        (await NextAsync(events)).Should().Be((WatchEventType.Added, "b", "1"));
        resumed.Should().Contain($"resourceVersion={latest}");
        _gate.Lists.Should().ContainSingle("the bookmark's version is still in history, so there was no 410 and no relist");
    }

    private async Task StartClusterAsync(TimeSpan bookmarkInterval)
    {
        _server = await DevClusterServer.StartAsync(
            new DevClusterOptions { Secure = false, HistoryWindow = HistoryWindow, BookmarkInterval = bookmarkInterval }, CancellationToken.None);
        _watcherClient = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress), new KubeApiClientOptions { Handler = _gate });
        _user = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress));
    }

    private (Channel<(WatchEventType, string, string?)>, ListWatcher<V1ConfigMap>) StartWatcher(int watchTimeoutSeconds)
    {
        var options = new ListWatcherOptions { WatchTimeoutSeconds = watchTimeoutSeconds, InitialBackoff = TimeSpan.FromMilliseconds(20) };
        var watcher = new ListWatcher<V1ConfigMap>(_watcherClient!.For<V1ConfigMap>(), "default", options, NullLogger.Instance);
        var channel = Channel.CreateUnbounded<(WatchEventType, string, string?)>();
        _ = Task.Run(async () =>
        {
            await foreach (var e in watcher.RunAsync(_stop.Token))
            {
                await channel.Writer.WriteAsync((e.Type, e.Object.Metadata!.Name!, e.Object.Data is { } data && data.TryGetValue("v", out var v) ? v : null));
            }
        });
        return (channel, watcher);
    }

    /// <summary>Closes the gate and waits until the server has ended the open watch and the next one is held; returns its request.</summary>
    private async Task<string> DisconnectAsync()
    {
        _gate.Close();
        (await Eventually.TrueAsync(() => Task.FromResult(_gate.HeldWatches == 1))).Should().BeTrue("the server ends each watch after timeoutSeconds");
        return _gate.Watches[^1];
    }

    private Task CreateAsync(string ns, string name) =>
        _user.For<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["v"] = "1" } }, ns);

    private Task SetAsync(string name, string value) =>
        _user.For<V1ConfigMap>().PatchAsync(name, KubePatch.Merge(new JsonObject { ["data"] = new JsonObject { ["v"] = value } }), "default");

    private async Task ChurnAsync(int writes)
    {
        var churn = await _user.For<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"churn-{Guid.NewGuid():N}" } }, "kube-system");
        for (var i = 1; i < writes; i++)
        {
            await _user.For<V1ConfigMap>().PatchAsync(churn.Metadata!.Name!, KubePatch.Merge(new JsonObject { ["data"] = new JsonObject { ["i"] = $"{i}" } }), "kube-system");
        }
    }

    private async Task<(WatchEventType, string, string?)> NextAsync(Channel<(WatchEventType, string, string?)> events)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(timeout.Token);
    }
}
