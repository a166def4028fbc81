using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

public sealed class RoutingTableTests
{
    private static readonly ServicePortKey Front = new("ns", "front", "http");

    [Fact]
    public void Build_SplitWithOneBackendWithoutEndpoints_SendsEverythingToTheOther()
    {
        var table = RoutingTable.Build([Service("front"), Service("v1"), Service("v2")], [Endpoints("v1", 5001)], [Split(("v1", 1), ("v2", 9))]);

        var picks = Enumerable.Range(0, 10).Select(_ => table.Find(Front)!.Pick("/")).ToList();

        picks.Should().OnlyContain(d => d == new Destination("127.0.0.1", 5001));
    }

    [Fact]
    public void Build_UnchangedRoute_KeepsRouteAndItsBalancingPosition()
    {
        var services = new[] { Service("front"), Service("v1"), Service("v2") };
        var endpoints = new[] { Endpoints("v1", 5001), Endpoints("v2", 5002) };
        var first = RoutingTable.Build(services, endpoints, [Split(("v1", 1), ("v2", 1))]);
        var before = first.Find(Front)!.Pick("/");

        var second = RoutingTable.Build(services, endpoints, [Split(("v1", 1), ("v2", 1))], first);

        second.Find(Front).Should().BeSameAs(first.Find(Front));
        second.Find(Front)!.Pick("/").Should().NotBe(before, "the rebuilt table continues the rotation instead of restarting it");
    }

    [Fact]
    public void Build_NoEndpoints_PickReturnsNull()
    {
        RoutingTable.Build([Service("front")], [], []).Find(Front)!.Pick("/").Should().BeNull();
    }

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "ns" },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] },
    };

    private static V1Endpoints Endpoints(string name, int port) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = "ns" },
        Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }], Ports = [new V1EndpointPort { Name = "http", Port = port }] }],
    };

    private static TrafficSplit Split(params (string Service, int Weight)[] backends) =>
        new("ns", "front", null, [new SplitRule([], backends.Select(b => new WeightedBackend(b.Service, null, b.Weight)).ToList())], "test", 0, DateTimeOffset.UnixEpoch);
}
