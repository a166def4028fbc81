using RecOperator.DevCluster.Networking;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Networking;

public sealed class PathMatchTests
{
    [Theory]
    [InlineData(false, "/v2", "/v2", true)]
    [InlineData(false, "/v2", "/v2/models", true)]
    [InlineData(false, "/v2/", "/v2/models", true)]
    [InlineData(false, "/v2", "/v22", false)]
    [InlineData(false, "/", "/anything", true)]
    [InlineData(true, "/health", "/health", true)]
    [InlineData(true, "/health", "/health/live", false)]
    public void Matches_PathAgainstMatch_FollowsGatewayApiSemantics(bool exact, string value, string path, bool expected)
    {
        new PathMatch(exact, value).Matches(path).Should().Be(expected);
    }

    [Theory]
    [InlineData("grpc", null, ListenerProtocol.Http2)]
    [InlineData("grpc-infer", null, ListenerProtocol.Http2)]
    [InlineData("h2c", null, ListenerProtocol.Http2)]
    [InlineData("http", null, ListenerProtocol.Http1)]
    [InlineData("grpcx", null, ListenerProtocol.Http1)]
    [InlineData("http", "kubernetes.io/h2c", ListenerProtocol.Http2)]
    [InlineData("grpc", "http", ListenerProtocol.Http1)]
    [InlineData(null, null, ListenerProtocol.Http1)]
    public void ListenerProtocols_PortNameAndAppProtocol_DecideHttp2(string? name, string? appProtocol, ListenerProtocol expected)
    {
        ListenerProtocols.For(new V1ServicePort { Name = name, Port = 80, AppProtocol = appProtocol }).Should().Be(expected);
    }
}
