using System.Net;
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

    [Fact]
    public async Task List_ContinueTokenOlderThanHistoryWindow_Answers410WithTokenToGoOnAtLatest()
    {
        var ns = await _api.NewNamespaceAsync();
        var collection = $"/api/v1/namespaces/{ns}/configmaps";
        for (var i = 0; i < 3; i++)
        {
            await _api.PostAsync(collection, ApiClient.ConfigMap($"cm-{i}"));
        }
        var first = await _api.GetAsync(collection + "?limit=1");
        for (var i = 0; i < 10; i++)
        {
            await _api.PostAsync(collection, ApiClient.ConfigMap($"late-{i}"));
        }

        var expired = await _api.GetAsync($"{collection}?limit=100&continue={Uri.EscapeDataString(first.Str("metadata.continue")!)}");
        var rest = await _api.GetAsync($"{collection}?limit=100&continue={Uri.EscapeDataString(expired.Str("metadata.continue") ?? "")}");

        expired.Status.Should().Be(HttpStatusCode.Gone);
        (expired.Str("kind"), expired.Str("reason"), expired.Num("code")).Should().Be(("Status", "Expired", 410));
        expired.Str("message").Should().StartWith("The provided continue parameter is too old to display a consistent list result.");
        expired.Str("metadata.continue").Should().NotBeNullOrEmpty("the server offers a token that goes on at the latest revision");
        rest.Status.Should().Be(HttpStatusCode.OK);
        rest.Object["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())
            .Should().Equal(["cm-1", "cm-2", .. Enumerable.Range(0, 10).Select(i => $"late-{i}")], "the rest after cm-0, as it is now");
    }
}
