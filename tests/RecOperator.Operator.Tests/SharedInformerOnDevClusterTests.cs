using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Kube.Watching;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests;

/// <summary>
/// <see cref="SharedInformer{T}"/> against the project's API server (in-process DevCluster, plain HTTP): the cache and
/// its indexes follow real writes across watches the server itself ends every second.
/// </summary>
public sealed class SharedInformerOnDevClusterTests : IAsyncLifetime
{
    private const string Selector = "test=informer";
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private DevClusterServer _server = null!;
    private KubeApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { Secure = false }, CancellationToken.None);
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
    public async Task RunAsync_WritesAcrossNamespacesAndWatches_KeepIndexedCacheCurrentAndNotifyInOrder()
    {
        var configMaps = _client.For<V1ConfigMap>();
        await configMaps.CreateAsync(Map("a", ("tier", "web")), "default");
        await configMaps.CreateAsync(Map("elsewhere"), "kube-public");
        // Not selected by the informer; it owns "b" below (a real owner, so the garbage collector leaves "b" alone).
        var owner = await configMaps.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unselected-owner" } }, "default");
        var informer = new SharedInformer<V1ConfigMap>(configMaps, null, new SharedInformerOptions
        {
            Watch = new ListWatcherOptions { LabelSelector = Selector, WatchTimeoutSeconds = 1, InitialBackoff = TimeSpan.FromMilliseconds(20) },
        }, NullLogger.Instance);
        var seen = new ConcurrentQueue<(InformerEventType, string)>();
        informer.Subscribe(e => seen.Enqueue((e.Type, e.Object.Metadata!.Name!)));
        var run = informer.RunAsync(_stop.Token);
        await Eventually.Until(() => informer.HasSynced && seen.Count == 2);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the server has ended the first watch: what follows arrives on a resumed one
        await configMaps.PatchAsync("a", KubePatch.Merge(new System.Text.Json.Nodes.JsonObject { ["data"] = new System.Text.Json.Nodes.JsonObject { ["k"] = "v" } }), "default");
        var owned = Map("b", ("tier", "web"));
        owned = owned with
        {
            Metadata = owned.Metadata! with { OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "unselected-owner", Uid = owner.Metadata!.Uid! }] },
        };
        await configMaps.CreateAsync(owned, "default");
        await configMaps.DeleteAsync("a", "default");
        await Eventually.Until(() => seen.Count >= 5);

        seen.Should().HaveCount(5, string.Join(", ", seen));
        seen.Take(2).Should().BeEquivalentTo([(InformerEventType.Added, "a"), (InformerEventType.Added, "elsewhere")]);
        seen.Skip(2).Should().Equal((InformerEventType.Updated, "a"), (InformerEventType.Added, "b"), (InformerEventType.Deleted, "a"));
        informer.Cache.List().Select(m => m.Metadata!.Name).Should().BeEquivalentTo(["b", "elsewhere"]);
        informer.Cache.ByNamespace("kube-public").Should().ContainSingle().Which.Metadata!.Name.Should().Be("elsewhere");
        informer.Cache.ByLabel("tier", "web").Should().ContainSingle().Which.Metadata!.Name.Should().Be("b");
        informer.Cache.ByOwner(owner.Metadata.Uid!).Should().ContainSingle().Which.Metadata!.Name.Should().Be("b");
        await _stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static V1ConfigMap Map(string name, params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = labels.Append(("test", "informer")).ToDictionary(l => l.Item1, l => l.Item2),
        },
    };
}
