using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Monitoring;
using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Monitoring;

/// <summary>DevCluster's Prometheus HTTP service discovery: the pod role's targets and meta labels, on this machine's ports.</summary>
public sealed class PrometheusPodTargetsTests
{
    [Fact]
    public void From_RunningPodWithHostPorts_OneTargetPerDeclaredPortAtItsHostPortWithPodRoleLabels()
    {
        var groups = PrometheusPodTargets.From([Pod("web-0", ready: true)]);

        groups.Should().HaveCount(2);
        var http = groups.Single(g => Label(g, "__meta_kubernetes_pod_container_port_name") == "http")!;
        http["targets"]!.AsArray().Select(t => (string)t!).Should().Equal("127.0.0.1:41001");
        Label(http, "__meta_kubernetes_pod_container_port_number").Should().Be("8080");
        Label(http, "__meta_kubernetes_namespace").Should().Be("shop");
        Label(http, "__meta_kubernetes_pod_name").Should().Be("web-0");
        Label(http, "__meta_kubernetes_pod_ready").Should().Be("true");
        Label(http, "__meta_kubernetes_pod_label_serving_recoperator_io_model").Should().Be("ranking");
        Label(http, "__meta_kubernetes_pod_labelpresent_serving_recoperator_io_model").Should().Be("true");
        Label(http, "__meta_kubernetes_pod_annotation_prometheus_io_port").Should().Be("8080");
        Label(http, "__meta_kubernetes_pod_controller_kind").Should().Be("ReplicaSet");
        Label(http, "__meta_kubernetes_pod_container_name").Should().Be("recpod");
        // A port the node agent did not map is listed as declared.
        var grpc = groups.Single(g => Label(g, "__meta_kubernetes_pod_container_port_name") == "grpc")!;
        grpc["targets"]![0]!.GetValue<string>().Should().Be("127.0.0.1:9000");
    }

    [Fact]
    public void From_PodsNotReadyWithoutIpFinishedOrDeleting_ListsOnlyThosePrometheusCouldScrape()
    {
        var notReady = Pod("a-not-ready", ready: false);
        var noIp = Pod("b-no-ip", ready: false) with { Status = Pod("x", false).Status! with { PodIP = null } };
        var finished = Pod("c-finished", ready: false) with { Status = Pod("x", false).Status! with { Phase = "Failed" } };
        var deleting = Pod("d-deleting", ready: true) with { Metadata = Pod("d-deleting", true).Metadata! with { DeletionTimestamp = DateTimeOffset.UtcNow } };

        var groups = PrometheusPodTargets.From([deleting, finished, noIp, notReady]);

        groups.Select(g => Label(g, "__meta_kubernetes_pod_name")).Distinct().Should().Equal("a-not-ready");
        groups.Select(g => Label(g, "__meta_kubernetes_pod_ready")).Should().AllBe("false");
    }

    [Theory]
    [InlineData("app.kubernetes.io/name", "app_kubernetes_io_name")]
    [InlineData("serving.recoperator.io/pool", "serving_recoperator_io_pool")]
    [InlineData("plain_name9", "plain_name9")]
    public void Sanitize_KubernetesLabelKey_BecomesPrometheusLabelName(string key, string expected) =>
        PrometheusPodTargets.Sanitize(key).Should().Be(expected);

    [Fact]
    public async Task Get_OverHttpsWithAndWithoutToken_ServesTheStoredPodsOnlyToAuthenticatedClients()
    {
        var folder = Directory.CreateTempSubdirectory("devcluster-prom-sd-").FullName;
        try
        {
            await using var server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = folder, Port = 0 }, CancellationToken.None);
            var config = KubeConfigLoader.Load(server.KubeconfigPath!);
            using var client = new Kube.Client.KubeApiClient(config, new Kube.Client.KubeApiClientOptions());
            // No owner: the garbage collector would delete a pod whose ReplicaSet does not exist.
            var pod = Pod("web-0", ready: true) with { Metadata = Pod("web-0", true).Metadata! with { OwnerReferences = null } };
            await client.For<V1Namespace>().CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
            await client.For<V1Pod>().CreateAsync(pod with { Status = null }, "shop");
            await client.For<V1Pod>().UpdateStatusAsync(
                (await client.For<V1Pod>().GetAsync("web-0", "shop")) with { Status = pod.Status });
            using var http = new HttpClient(KubeHttpHandlerFactory.Create(config)) { BaseAddress = server.BaseAddress };

            using var anonymous = await http.GetAsync(PrometheusPodTargets.Path);
            using var request = new HttpRequestMessage(HttpMethod.Get, PrometheusPodTargets.Path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await File.ReadAllTextAsync(server.TokenFile!));
            using var authenticated = await http.SendAsync(request);

            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            authenticated.StatusCode.Should().Be(HttpStatusCode.OK);
            authenticated.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            var groups = JsonNode.Parse(await authenticated.Content.ReadAsStringAsync())!.AsArray();
            groups.Select(g => (string)g!["targets"]![0]!).Should().BeEquivalentTo("127.0.0.1:41001", "127.0.0.1:9000");
            server.CaFile.Should().Be(Path.Combine(folder, "ca.crt"));
            File.Exists(server.CaFile).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? Label(JsonNode? group, string name) => (string?)group!["labels"]![name];

    private static V1Pod Pod(string name, bool ready) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Namespace = "shop",
            Labels = new Dictionary<string, string> { ["serving.recoperator.io/model"] = "ranking", ["app.kubernetes.io/name"] = "recpod" },
            Annotations = new Dictionary<string, string> { ["prometheus.io/port"] = "8080", [NetworkingNames.HostPortsAnnotation] = """{"8080":41001}""" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-abc", Uid = "u-1", Controller = true }],
        },
        Spec = new V1PodSpec
        {
            NodeName = "cpu-spot-0",
            Containers =
            [
                new V1Container
                {
                    Name = "recpod",
                    Image = "recpod:dev",
                    Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }, new V1ContainerPort { Name = "grpc", ContainerPort = 9000 }],
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
