using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.DevCluster.Hosting;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Tests.KubeClient;

/// <summary>
/// Paged lists whose continue token expires half way, against the project's API server: a small history window and
/// writes made between the first and the second page (<see cref="FirstPageGate"/>) push the first page's revision
/// out, so the server answers the next page 410 Expired as kube-apiserver does after a compaction.
/// </summary>
public sealed class ListPagerOnDevClusterTests : IAsyncLifetime
{
    private const int HistoryWindow = 50;
    private const string Selector = "set=paged";
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private DevClusterServer _server = null!;
    private KubeApiClient _user = null!;
    private KubeApiClient? _paging;
    private FirstPageGate? _gate;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { Secure = false, HistoryWindow = HistoryWindow }, CancellationToken.None);
        _user = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress));
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync($"page-{i}");
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _paging?.Dispose();
        _user.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task ListAllAsync_ContinueTokenLeavesHistoryMidList_ListsOnceInFullAndYieldsTheLatestStateOnce()
    {
        var configMaps = PagingClient(async ct =>
        {
            await _user.For<V1ConfigMap>().DeleteAsync("page-0", "default", cancellationToken: ct); // already on the first page
            await CreateAsync("page-6");
            await ChurnAsync(HistoryWindow + 10, ct);
        });

        var names = new List<string>();
        await foreach (var cm in configMaps.ListAllAsync("default", new ListOptions { Limit = 2, LabelSelector = Selector }, _stop.Token))
        {
            names.Add(cm.Metadata!.Name!);
        }

        names.Should().Equal(["page-1", "page-2", "page-3", "page-4", "page-5", "page-6"],
            "the list as it is now, each object once: not the first page's page-0 and page-1 as well");
        Lists().Should().Equal(
            ("limit=2", 200), ("limit=2&continue", 410), ("", 200));
    }

    [Fact]
    public async Task ListAllAsync_CallersContinueTokenLeftHistory_Throws410()
    {
        var configMaps = _user.For<V1ConfigMap>();
        var first = await configMaps.ListAsync("default", new ListOptions { Limit = 2, LabelSelector = Selector }, _stop.Token);
        await ChurnAsync(HistoryWindow + 10, _stop.Token);

        var act = async () =>
        {
            await foreach (var _ in configMaps.ListAllAsync("default", new ListOptions { Limit = 2, LabelSelector = Selector, Continue = first.Continue }, _stop.Token))
            {
            }
        };

        (await act.Should().ThrowAsync<KubeGoneException>()).Which.Reason.Should().Be("Expired");
    }

    [Fact]
    public async Task ListWatcher_ContinueTokenLeavesHistoryDuringFirstList_ListsInFullAtOnceAndAddsEachObjectOnce()
    {
        var configMaps = PagingClient(async ct =>
        {
            await CreateAsync("page-6");
            await ChurnAsync(HistoryWindow + 10, ct);
        });
        var watcher = new ListWatcher<V1ConfigMap>(
            configMaps, "default", new ListWatcherOptions { LabelSelector = Selector, PageSize = 2, InitialBackoff = TimeSpan.FromSeconds(30) }, NullLogger.Instance);

        var added = new List<string>();
        await foreach (var change in watcher.RunAsync(_stop.Token))
        {
            change.Type.Should().Be(WatchEventType.Added);
            added.Add(change.Object.Metadata!.Name!);
            if (added.Count == 7)
            {
                break;
            }
        }

        added.Should().Equal(Enumerable.Range(0, 7).Select(i => $"page-{i}"));
        Lists().Should().Equal(
            [("limit=2", 200), ("limit=2&continue", 410), ("", 200)], "no 30 s backoff and no paged relist from the start");
    }

    private ResourceClient<V1ConfigMap> PagingClient(Func<CancellationToken, Task> betweenPages)
    {
        _gate = new FirstPageGate(betweenPages);
        _paging = new KubeApiClient(KubeClientConfig.ForServer(_server.BaseAddress), new KubeApiClientOptions { Handler = _gate });
        return _paging.For<V1ConfigMap>();
    }

    /// <summary>The list requests of the paging client, as "limit=N[&amp;continue]" (the token's value left out) and status.</summary>
    private List<(string, int)> Lists() =>
        [.. _gate!.Responses
            .Where(r => !r.PathAndQuery.Contains("watch=true", StringComparison.Ordinal))
            .Select(r => (Paging(r.PathAndQuery), r.Status))];

    private static string Paging(string pathAndQuery)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://x"), pathAndQuery).Query);
        return string.Join('&', new[] { query["limit"] is { } limit ? $"limit={limit}" : null, query["continue"] is null ? null : "continue" }.OfType<string>());
    }

    private Task CreateAsync(string name) => _user.For<V1ConfigMap>().CreateAsync(
        new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["set"] = "paged" } } }, "default");

    // Writes the paged list does not select, so only the store's history moves.
    private async Task ChurnAsync(int writes, CancellationToken cancellationToken)
    {
        var churn = await _user.For<V1ConfigMap>().CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "churn" } }, "kube-system", cancellationToken);
        for (var i = 1; i < writes; i++)
        {
            await _user.For<V1ConfigMap>().PatchAsync(
                churn.Metadata!.Name!, KubePatch.Merge(new JsonObject { ["data"] = new JsonObject { ["i"] = $"{i}" } }), "kube-system", cancellationToken);
        }
    }
}
