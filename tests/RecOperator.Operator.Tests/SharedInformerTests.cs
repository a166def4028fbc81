using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

public sealed class SharedInformerTests : FakeServerTest
{
    [Fact]
    public async Task RunAsync_Changes_KeepCacheCurrentAndNotifySubscribers()
    {
        ConfigMaps.Seed("a", labels: new Dictionary<string, string> { ["tier"] = "web" });
        var informer = new SharedInformer<V1ConfigMap>(Client.For<V1ConfigMap>(), "default", null, NullLogger.Instance);
        var seen = new ConcurrentQueue<(InformerEventType, string)>();
        informer.Subscribe(e => seen.Enqueue((e.Type, e.Object.Metadata!.Name!)));
        var run = informer.RunAsync(Stopping);
        await Eventually.Until(() => informer.HasSynced && seen.Count == 1);

        ConfigMaps.Modify("a", o => o["data"] = new System.Text.Json.Nodes.JsonObject { ["k"] = "v" });
        ConfigMaps.Seed("b");
        ConfigMaps.Remove("a");
        await Eventually.Until(() => seen.Count == 4);

        seen.Should().Equal((InformerEventType.Added, "a"), (InformerEventType.Updated, "a"), (InformerEventType.Added, "b"), (InformerEventType.Deleted, "a"));
        informer.Cache.List().Select(m => m.Metadata!.Name).Should().Equal("b");
        informer.Cache.ByLabel("tier", "web").Should().BeEmpty();
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task HasSynced_WhileTheFirstListIsStillBeingCached_IsFalse()
    {
        ConfigMaps.Seed("a");
        ConfigMaps.Seed("b");
        ConfigMaps.Seed("c");
        var informer = new SharedInformer<V1ConfigMap>(Client.For<V1ConfigMap>(), "default", null, NullLogger.Instance);
        using var firstSeen = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var held = 0;
        informer.Subscribe(_ =>
        {
            if (Interlocked.Increment(ref held) == 1)
            {
                firstSeen.Release();
                release.Wait(TimeSpan.FromSeconds(10));
            }
        });
        var run = informer.RunAsync(Stopping);
        (await firstSeen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        // The list has arrived, one of its three objects is cached: a reconciler reading the cache now would take the
        // model's Deployments for none and place it as new (a restarted operator scaled a settled fleet that way).
        var syncedMidList = informer.HasSynced;
        var cachedMidList = informer.Cache.List().Count;
        release.Release();
        await Eventually.Until(() => informer.HasSynced);

        syncedMidList.Should().BeFalse($"only {cachedMidList} of the 3 listed objects were in the cache");
        informer.Cache.List().Select(c => c.Metadata!.Name).Should().BeEquivalentTo(["a", "b", "c"], "synced means every listed object is cached");
        await StopBackgroundWorkAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_ResyncPeriodPasses_RedeliversEveryCachedObject()
    {
        ConfigMaps.Seed("a");
        ConfigMaps.Seed("b");
        var time = new ManualTimeProvider();
        var informer = new SharedInformer<V1ConfigMap>(
            Client.For<V1ConfigMap>(), "default",
            new SharedInformerOptions { ResyncPeriod = TimeSpan.FromMinutes(5), Watch = new ListWatcherOptions() }, NullLogger.Instance, time);
        var resyncs = new ConcurrentQueue<string>();
        informer.Subscribe(e =>
        {
            if (e.Type == InformerEventType.Resync)
            {
                resyncs.Enqueue(e.Object.Metadata!.Name!);
            }
        });
        var run = informer.RunAsync(Stopping);
        await Eventually.Until(() => informer.Cache.Count == 2 && time.PendingTimers > 0);

        time.Advance(TimeSpan.FromMinutes(4));
        resyncs.Should().BeEmpty();
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.Until(() => resyncs.Count == 2);

        resyncs.Should().BeEquivalentTo(["a", "b"]);
        await StopBackgroundWorkAsync();
        await run;
    }
}
