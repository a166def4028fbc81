using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class SharedInformerTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
    private FakeApiServer _server = null!;
    private FakeCollection _maps = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _maps = _server.AddCollection("/api/v1/configmaps", "ConfigMap", "v1");
        _client = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_Changes_KeepCacheCurrentAndNotifySubscribers()
    {
        _maps.Seed("a", labels: new Dictionary<string, string> { ["tier"] = "web" });
        var informer = new SharedInformer<V1ConfigMap>(_client.For<V1ConfigMap>(), null, null, NullLogger.Instance);
        var seen = new ConcurrentQueue<(InformerEventType, string)>();
        informer.Subscribe(e => seen.Enqueue((e.Type, e.Object.Metadata!.Name!)));
        var run = informer.RunAsync(_stop.Token);
        await Eventually.Until(() => informer.HasSynced && seen.Count == 1);

        _maps.Modify("a", o => o["data"] = new System.Text.Json.Nodes.JsonObject { ["k"] = "v" });
        _maps.Seed("b");
        _maps.Remove("a");
        await Eventually.Until(() => seen.Count == 4);

        seen.Should().Equal((InformerEventType.Added, "a"), (InformerEventType.Updated, "a"), (InformerEventType.Added, "b"), (InformerEventType.Deleted, "a"));
        informer.Cache.List().Select(m => m.Metadata!.Name).Should().Equal("b");
        informer.Cache.ByLabel("tier", "web").Should().BeEmpty();
        await _stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_ResyncPeriodPasses_RedeliversEveryCachedObject()
    {
        _maps.Seed("a");
        _maps.Seed("b");
        var time = new ManualTimeProvider();
        var informer = new SharedInformer<V1ConfigMap>(
            _client.For<V1ConfigMap>(), null,
            new SharedInformerOptions { ResyncPeriod = TimeSpan.FromMinutes(5), Watch = new ListWatcherOptions() }, NullLogger.Instance, time);
        var resyncs = new ConcurrentQueue<string>();
        informer.Subscribe(e =>
        {
            if (e.Type == InformerEventType.Resync)
            {
                resyncs.Enqueue(e.Object.Metadata!.Name!);
            }
        });
        var run = informer.RunAsync(_stop.Token);
        await Eventually.Until(() => informer.Cache.Count == 2 && time.PendingTimers > 0);

        time.Advance(TimeSpan.FromMinutes(4));
        resyncs.Should().BeEmpty();
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.Until(() => resyncs.Count == 2);

        resyncs.Should().BeEquivalentTo(["a", "b"]);
        await _stop.CancelAsync();
        await run;
    }
}
