using System.Text.Json.Nodes;
using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

public sealed class TrafficSplitReaderTests
{
    [Fact]
    public void FromRoute_ServiceParentAndWeightedBackends_ReadsSplit()
    {
        var route = JsonNode.Parse("""
            {"metadata": {"name": "r", "namespace": "ns"},
             "spec": {"parentRefs": [{"kind": "Gateway", "name": "gw"}, {"group": "", "kind": "Service", "name": "model", "port": 80}],
                      "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/v2"}}],
                                 "backendRefs": [{"name": "a", "port": 8000, "weight": 3}, {"name": "b"}, {"kind": "Bucket", "name": "x"}, {"name": "c", "namespace": "other"}]}]}}
            """)!.AsObject();

        var split = TrafficSplitReader.FromRoute(route).Single();

        split.Should().BeEquivalentTo(new { Namespace = "ns", Frontend = "model", FrontendPort = 80, Precedence = 0 });
        split.Rules.Single().Paths.Should().Equal(new PathMatch(false, "/v2"));
        split.Rules.Single().Backends.Should().Equal(new WeightedBackend("a", 8000, 3), new WeightedBackend("b", null, 1));
    }

    [Fact]
    public void FromRoute_OnlyRegexMatches_RuleMatchesNothing()
    {
        var route = JsonNode.Parse("""
            {"metadata": {"name": "r", "namespace": "ns"},
             "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "m"}],
                      "rules": [{"matches": [{"path": {"type": "RegularExpression", "value": ".*"}}], "backendRefs": [{"name": "a"}]}]}}
            """)!.AsObject();

        TrafficSplitReader.FromRoute(route).Single().Rules.Single().Matches("/anything").Should().BeFalse();
    }

    [Fact]
    public void FromRoute_GrpcRouteWithMethodMatches_SplitsTheGrpcPortForEveryCall()
    {
        var route = JsonNode.Parse("""
            {"kind": "GRPCRoute", "metadata": {"name": "m", "namespace": "ns"},
             "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": "m", "port": 8081}],
                      "rules": [{"matches": [{"method": {"service": "inference.GRPCInferenceService", "method": "ModelInfer"}}],
                                 "backendRefs": [{"name": "m-cpu", "port": 8081, "weight": 250}, {"name": "m-gpu", "port": 8081, "weight": 750}]}]}}
            """)!.AsObject();

        var split = TrafficSplitReader.FromRoute(route).Single();

        split.Should().BeEquivalentTo(new { Namespace = "ns", Frontend = "m", FrontendPort = 8081, Source = "GRPCRoute ns/m" });
        split.Rules.Single().Matches("/inference.GRPCInferenceService/ModelInfer").Should().BeTrue("method matches are not evaluated: the rule takes every call");
        split.Rules.Single().Backends.Should().Equal(new WeightedBackend("m-cpu", 8081, 250), new WeightedBackend("m-gpu", 8081, 750));
    }

    [Fact]
    public void FromConfigMap_ValidWeights_ReadsSplit()
    {
        var split = TrafficSplitReader.FromConfigMap(Map("""{"v2": 20, "v1": 80}"""), out var error);

        error.Should().BeNull();
        split!.Frontend.Should().Be("model");
        split.Rules.Single().Backends.Should().Equal(new WeightedBackend("v1", null, 80), new WeightedBackend("v2", null, 20));
    }

    [Theory]
    [InlineData("""{"v1": -1}""", "weights.json.v1 must be a non-negative integer")]
    [InlineData("""{"v1": "ten"}""", "weights.json.v1 must be a non-negative integer")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{not json""", "is not JSON")]
    public void FromConfigMap_BadWeights_ErrorNamesTheField(string weights, string expected)
    {
        TrafficSplitReader.FromConfigMap(Map(weights), out var error).Should().BeNull();

        error.Should().Contain("ConfigMap ns/w").And.Contain(expected);
    }

    [Fact]
    public void FromConfigMap_NoRouteForAnnotation_ErrorNamesTheAnnotation()
    {
        var map = Map("{}") with { Metadata = new V1ObjectMeta { Name = "w", Namespace = "ns" } };

        TrafficSplitReader.FromConfigMap(map, out var error).Should().BeNull();

        error.Should().Contain(NetworkingNames.RouteForAnnotation);
    }

    private static V1ConfigMap Map(string weights) => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", Namespace = "ns", Annotations = new Dictionary<string, string> { [NetworkingNames.RouteForAnnotation] = "model" } },
        Data = new Dictionary<string, string> { [NetworkingNames.WeightsKey] = weights },
    };
}
