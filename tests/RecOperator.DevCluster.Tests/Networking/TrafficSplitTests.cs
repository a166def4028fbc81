using System.Text.Json.Nodes;
using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>
/// Weighted splits through the router: 1,000 requests to a frontend Service land on its backends' pods by the
/// weights of an HTTPRoute (GAMMA parentRef of kind Service) or of the routing ConfigMap, within 5 points.
/// </summary>
public sealed class TrafficSplitTests : IClassFixture<NetworkingCluster>, IAsyncLifetime
{
    private const int Requests = 1000;
    private readonly NetworkingCluster _cluster;
    private readonly List<TestBackend> _backends = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public TrafficSplitTests(NetworkingCluster cluster) => _cluster = cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task Router_HttpRouteWeights80To20_SplitsThousandRequestsWithinFivePoints()
    {
        await _cluster.InstallHttpRouteCrdAsync();
        var ns = await SetUpFrontendWithTwoVersionsAsync();
        await _cluster.CreateHttpRouteAsync(ns, new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "HTTPRoute",
            ["metadata"] = new JsonObject { ["name"] = "model-split" },
            ["spec"] = new JsonObject
            {
                ["parentRefs"] = new JsonArray(new JsonObject { ["group"] = "", ["kind"] = "Service", ["name"] = "model", ["port"] = 80 }),
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["backendRefs"] = new JsonArray(
                        new JsonObject { ["name"] = "model-v1", ["port"] = 80, ["weight"] = 80 },
                        new JsonObject { ["name"] = "model-v2", ["port"] = 80, ["weight"] = 20 }),
                }),
            },
        });

        var shares = await MeasureSharesAsync(ns);

        shares["v1"].Should().BeApproximately(0.80, 0.05);
        shares["v2"].Should().BeApproximately(0.20, 0.05);
    }

    [Fact]
    public async Task Router_RoutingConfigMapWeights30To70_SplitsThousandRequestsWithinFivePoints()
    {
        var ns = await SetUpFrontendWithTwoVersionsAsync();
        await _cluster.Client.For<V1ConfigMap>().CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "model-weights",
                Labels = new Dictionary<string, string> { [NetworkingNames.RoutingLabel] = NetworkingNames.RoutingLabelValue },
                Annotations = new Dictionary<string, string> { [NetworkingNames.RouteForAnnotation] = "model" },
            },
            Data = new Dictionary<string, string> { [NetworkingNames.WeightsKey] = """{"model-v1": 30, "model-v2": 70}""" },
        }, ns);

        var shares = await MeasureSharesAsync(ns);

        shares["v1"].Should().BeApproximately(0.30, 0.05);
        shares["v2"].Should().BeApproximately(0.70, 0.05);
    }

    /// <summary>A frontend Service "model" with no pods of its own, and model-v1/model-v2 with two pods each.</summary>
    private async Task<string> SetUpFrontendWithTwoVersionsAsync()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "model", null, new V1ServicePort { Name = "http", Port = 80 });
        foreach (var version in new[] { "v1", "v2" })
        {
            await _cluster.CreateServiceAsync(ns, $"model-{version}", new Dictionary<string, string> { ["app"] = $"model-{version}" },
                new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" });
            for (var replica = 0; replica < 2; replica++)
            {
                var backend = await TestBackend.StartAsync($"{version}-{replica}");
                _backends.Add(backend);
                await _cluster.CreatePodAsync(ns, $"model-{version}-{replica}", $"model-{version}", 8080, backend.Port, ready: true);
            }
        }

        return ns;
    }

    /// <summary>Waits until the split is in force (both versions answer), then counts where 1,000 requests go.</summary>
    private async Task<Dictionary<string, double>> MeasureSharesAsync(string ns)
    {
        var port = await _cluster.RouterPortAsync(ns, "model", "http");
        var seen = new HashSet<string>();
        var split = await Support.Eventually.TrueAsync(async () =>
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                seen.Add(body[..2]);
            }

            return seen.Count == 2;
        });
        split.Should().BeTrue("both backend Services should receive traffic once the split is applied");

        var counts = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 0 };
        for (var i = 0; i < Requests; i++)
        {
            var body = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/predict"));
            counts[body[..2]]++;
        }

        _backends.Should().OnlyContain(b => b.Requests > 0, "within a backend Service, requests rotate over its pods");
        return counts.ToDictionary(c => c.Key, c => (double)c.Value / Requests);
    }
}
