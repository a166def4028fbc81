using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

public sealed class EndpointsBuilderTests
{
    private static readonly V1Service Web = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Namespace = "ns", Labels = new Dictionary<string, string> { ["tier"] = "front" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http" }, new V1ServicePort { Name = "metrics", Port = 9090, TargetPort = 9090 }],
        },
    };

    [Fact]
    public void Build_NamedAndNumericTargetPorts_ResolveThroughHostPorts()
    {
        var pod = Pod("web-1", ready: true, hostPorts: """{"8080": 40001, "9090": 40002}""");

        var subset = EndpointsBuilder.Build(Web, [pod])!.Subsets!.Single();

        subset.Ports!.Select(p => (p.Name, p.Port)).Should().Equal(("http", 40001), ("metrics", 40002));
    }

    [Fact]
    public void Build_NoHostPortsAnnotation_UsesContainerPort()
    {
        var subset = EndpointsBuilder.Build(Web, [Pod("web-1", ready: true, hostPorts: null)])!.Subsets!.Single();

        subset.Ports!.Select(p => p.Port).Should().Equal(8080, 9090);
    }

    [Fact]
    public void Build_MixedReadiness_SplitsReadyAndNotReadyAndSkipsTerminatingAndUnselected()
    {
        var pods = new[]
        {
            Pod("ready", ready: true, hostPorts: null),
            Pod("starting", ready: false, hostPorts: null),
            Pod("leaving", ready: true, hostPorts: null) is var p ? p with { Metadata = p.Metadata! with { DeletionTimestamp = DateTimeOffset.UtcNow } } : null!,
            Pod("other", ready: true, hostPorts: null, app: "db"),
            Pod("no-ip", ready: false, hostPorts: null) is var q ? q with { Status = q.Status! with { PodIP = null } } : null!,
        };

        var subset = EndpointsBuilder.Build(Web, pods)!.Subsets!.Single();

        subset.Addresses!.Select(a => a.TargetRef!.Name).Should().Equal("ready");
        subset.NotReadyAddresses!.Select(a => a.TargetRef!.Name).Should().Equal("starting");
    }

    [Fact]
    public void Build_ServiceWithoutSelector_ReturnsNull()
    {
        EndpointsBuilder.Build(Web with { Spec = Web.Spec! with { Selector = null } }, []).Should().BeNull();
    }

    [Fact]
    public void Build_Always_CopiesServiceLabelsAndMarksManaged()
    {
        var labels = EndpointsBuilder.Build(Web, [])!.Metadata!.Labels!;

        labels.Should().Contain("tier", "front").And.Contain(NetworkingNames.ManagedByLabel, NetworkingNames.EndpointsControllerName);
    }

    private static V1Pod Pod(string name, bool ready, string? hostPorts, string app = "web") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Namespace = "ns",
            Labels = new Dictionary<string, string> { ["app"] = app },
            Annotations = hostPorts is null ? null : new Dictionary<string, string> { [NetworkingNames.HostPortsAnnotation] = hostPorts },
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }] },
        Status = new V1PodStatus { PodIP = "127.0.0.1", Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };
}
