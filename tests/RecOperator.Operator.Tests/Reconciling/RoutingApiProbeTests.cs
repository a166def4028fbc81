using RecOperator.Kube.Yaml;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Tests.Autoscaling;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The Gateway API probe against the in-process DevCluster: not installed, then the HTTPRoute CRD installed, noticed
/// once the remembered answer is a minute old; each answer costs one list of at most one HTTPRoute.
/// </summary>
public sealed class RoutingApiProbeTests : IAsyncLifetime
{
    private readonly OperatorCluster _cluster = new();
    private readonly RecordingHandler _recorder = new();
    private readonly ManualClock _clock = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ServesAsync_HttpRoutesCrdInstalledLater_FalseThenTrueAfterTheRecheck()
    {
        using var client = _cluster.NewClient(_recorder);
        var probe = new RoutingApiProbe(client, _clock);

        var before = await probe.ServesAsync(RoutingBuilder.HttpRouteDescriptor, "default", CancellationToken.None);
        await InstallGatewayApiAsync();
        _clock.Advance(TimeSpan.FromSeconds(59));
        var remembered = await probe.ServesAsync(RoutingBuilder.HttpRouteDescriptor, "default", CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = await probe.ServesAsync(RoutingBuilder.HttpRouteDescriptor, "default", CancellationToken.None);

        (before, remembered, after).Should().Be((false, false, true));
        _recorder.Requests.Select(r => (r.Method, r.PathAndQuery, r.Status)).Should().Equal(
            ("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes?limit=1", 404),
            ("GET", "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes?limit=1", 200));
    }

    [Fact]
    public async Task ServesAsync_HttpRoutesInstalled_TrueForAFreshProbe()
    {
        await InstallGatewayApiAsync();
        using var client = _cluster.NewClient(_recorder);

        (await new RoutingApiProbe(client, _clock).ServesAsync(RoutingBuilder.HttpRouteDescriptor, "default", CancellationToken.None)).Should().BeTrue();
    }

    private async Task InstallGatewayApiAsync()
    {
        var crd = RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "gateway", "httproutes-crd.yaml");
        await _cluster.ApplyAsync(YamlDocuments.Parse(await File.ReadAllTextAsync(crd)).Single().AsObject());
    }
}
