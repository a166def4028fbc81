using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>A server with a tiny history window, so a watch from an old resourceVersion gets 410 Expired.</summary>
public sealed class WatchHistoryTests : IClassFixture<WatchHistoryTests.SmallHistoryFixture>
{
    private readonly ApiClient _api;

    public WatchHistoryTests(SmallHistoryFixture fixture) => _api = fixture.Api;

    public sealed class SmallHistoryFixture : ClusterFixture
    {
        protected override DevClusterOptions Options => base.Options with { HistoryWindow = 5 };
    }

    [Fact]
    public async Task Watch_ResourceVersionOlderThanHistoryWindow_SendsExpiredError()
    {
        var ns = await _api.NewNamespaceAsync();
        var first = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("old"));
        for (var i = 0; i < 10; i++)
        {
            await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap($"n{i}"));
        }

        var events = await WatchStream.CollectAsync(_api.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={first.ResourceVersion}", 1);
        var recent = await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps");
        var resumed = WatchStream.CollectAsync(_api.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={recent.ResourceVersion}", 1);
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("after"));

        events.Should().ContainSingle();
        events[0].Type.Should().Be("ERROR");
        events[0].Object["code"]!.GetValue<int>().Should().Be(410);
        events[0].Object["reason"]!.GetValue<string>().Should().Be("Expired");
        (await resumed).Single().Name.Should().Be("after");
    }
}
