using RecOperator.DevCluster.Networking;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>The Endpoints controller against the real API server: it follows pod readiness, host ports and Service lifetime.</summary>
public sealed class EndpointsControllerTests : IClassFixture<NetworkingCluster>
{
    private readonly NetworkingCluster _cluster;

    public EndpointsControllerTests(NetworkingCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Endpoints_PodReadinessChanges_AddressesFollowAndDeletedPodLeaves()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "web", new Dictionary<string, string> { ["app"] = "web" },
            new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" });
        var pod = await _cluster.CreatePodAsync(ns, "web-1", "web", containerPort: 8080, hostPort: 41001, ready: true);

        var ready = await WaitForAsync(ns, "web", e => Addresses(e, ready: true).Contains("web-1"));
        ready.Subsets!.Single().Ports!.Single().Should().BeEquivalentTo(new { Name = "http", Port = 41001, Protocol = "TCP" },
            "the named targetPort resolves to containerPort 8080 and then through the host-ports annotation");
        ready.Subsets!.Single().Addresses!.Single().Ip.Should().Be("127.0.0.1");
        ready.Subsets!.Single().Addresses!.Single().TargetRef!.Uid.Should().Be(pod.Metadata!.Uid);
        ready.Metadata!.Labels![NetworkingNames.ManagedByLabel].Should().Be(NetworkingNames.EndpointsControllerName);

        await _cluster.SetReadyAsync(pod, ready: false);
        var notReady = await WaitForAsync(ns, "web", e => Addresses(e, ready: false).Contains("web-1"));
        Addresses(notReady, ready: true).Should().BeEmpty();

        await _cluster.Client.For<V1Pod>().DeleteAsync("web-1", ns);
        var gone = await WaitForAsync(ns, "web", e => !Addresses(e, ready: false).Contains("web-1"));
        (gone.Subsets ?? []).Should().BeEmpty();
    }

    [Fact]
    public async Task Endpoints_PodsWithDifferentHostPorts_OneSubsetPerPortSet()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "api", new Dictionary<string, string> { ["app"] = "api" },
            new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 });
        await _cluster.CreatePodAsync(ns, "api-1", "api", 8080, 42001, ready: true);
        await _cluster.CreatePodAsync(ns, "api-2", "api", 8080, 42002, ready: true);

        var endpoints = await WaitForAsync(ns, "api", e => Addresses(e, ready: true).Count == 2);

        endpoints.Subsets!.Select(s => (s.Ports!.Single().Port, s.Addresses!.Single().TargetRef!.Name))
            .Should().BeEquivalentTo([(42001, "api-1"), (42002, "api-2")]);
    }

    [Fact]
    public async Task Endpoints_ServiceDeleted_EndpointsDeleted()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "short", new Dictionary<string, string> { ["app"] = "short" }, new V1ServicePort { Port = 80 });
        await WaitForAsync(ns, "short", _ => true);

        await _cluster.Client.For<V1Service>().DeleteAsync("short", ns);

        (await Eventually.TrueAsync(async () => await _cluster.Client.For<V1Endpoints>().TryGetAsync("short", ns) is null))
            .Should().BeTrue("the Endpoints of a deleted Service are removed");
    }

    [Fact]
    public async Task Endpoints_ServiceWithoutSelector_HandWrittenEndpointsLeftAlone()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "external", null, new V1ServicePort { Port = 80 });
        var manual = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "external" },
            Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }], Ports = [new V1EndpointPort { Port = 9 }] }],
        };
        await _cluster.Client.For<V1Endpoints>().CreateAsync(manual, ns);
        await _cluster.CreateServiceAsync(ns, "marker", new Dictionary<string, string> { ["app"] = "marker" }, new V1ServicePort { Port = 80 });
        await WaitForAsync(ns, "marker", _ => true);

        var kept = await _cluster.Client.For<V1Endpoints>().GetAsync("external", ns);
        kept.Subsets!.Single().Ports!.Single().Port.Should().Be(9);
    }

    [Fact]
    public async Task KubectlTable_ReadyEndpoints_ShowsIpPortPairs()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.CreateServiceAsync(ns, "tbl", new Dictionary<string, string> { ["app"] = "tbl" }, new V1ServicePort { Port = 80, TargetPort = 8080 });
        await _cluster.CreatePodAsync(ns, "tbl-1", "tbl", 8080, 43001, ready: true);
        await WaitForAsync(ns, "tbl", e => Addresses(e, ready: true).Count == 1);
        using var http = new HttpClient { BaseAddress = _cluster.ApiServer };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/endpoints");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");

        using var response = await http.SendAsync(request);
        var table = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        table["columnDefinitions"]![1]!["name"]!.GetValue<string>().Should().Be("Endpoints");
        table["rows"]![0]!["cells"]![1]!.GetValue<string>().Should().Be("127.0.0.1:43001");
    }

    private async Task<V1Endpoints> WaitForAsync(string ns, string name, Func<V1Endpoints, bool> condition)
    {
        V1Endpoints? last = null;
        var met = await Eventually.TrueAsync(async () =>
        {
            last = await _cluster.Client.For<V1Endpoints>().TryGetAsync(name, ns);
            return last is not null && condition(last);
        });
        met.Should().BeTrue($"Endpoints {ns}/{name} never reached the expected state; last seen: {System.Text.Json.JsonSerializer.Serialize(last, Kube.KubeJsonContext.Default.V1Endpoints!)}");
        return last!;
    }

    private static List<string> Addresses(V1Endpoints endpoints, bool ready) =>
        (endpoints.Subsets ?? []).SelectMany(s => (ready ? s.Addresses : s.NotReadyAddresses) ?? []).Select(a => a.TargetRef!.Name!).ToList();
}
