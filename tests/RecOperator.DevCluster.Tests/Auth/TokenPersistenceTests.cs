using System.Net;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// A token issued before the control plane restarts on the same data directory (the signing key is kept in
/// DATA_DIR/sa.key) still authenticates after it, so the pods that hold one keep working.
/// </summary>
public sealed class TokenPersistenceTests : IAsyncLifetime
{
    private readonly SecureClusterFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Token_ServerRestartedOnTheSameDataDirectory_StillAuthenticatesAsTheAccount()
    {
        var ns = await _cluster.NamespaceWithAccountAsync("survivor");
        var token = await _cluster.TokenAsync(ns, "survivor");

        await _cluster.RestartAsync();
        var whoami = await _cluster.WithToken(token).PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", new System.Text.Json.Nodes.JsonObject());

        whoami.Status.Should().Be(HttpStatusCode.Created, whoami.Body?.ToJsonString());
        whoami.Str("status.userInfo.username").Should().Be($"system:serviceaccount:{ns}:survivor");
        File.Exists(Path.Combine(_cluster.DataDirectory, "sa.key")).Should().BeTrue();
    }
}
