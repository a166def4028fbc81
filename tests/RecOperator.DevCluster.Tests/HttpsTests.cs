using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using RecOperator.DevCluster.Hosting;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>The default mode: HTTPS with the generated CA, bearer-token authentication, and the kubeconfig it writes.</summary>
public sealed class HttpsTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("devcluster-https-").FullName;
    private DevClusterServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = _dataDirectory }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Request_WithAndWithoutToken_Returns401UnlessAuthenticatedOverVerifiedTls()
    {
        using var http = ClientTrustingOnly(_server.CaPem!);

        var anonymous = await http.GetAsync(new Uri(_server.BaseAddress, "/api/v1/namespaces"));
        var health = await http.GetAsync(new Uri(_server.BaseAddress, "/readyz"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, "/api/v1/namespaces"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.Token);
        var authenticated = await http.SendAsync(request);

        _server.BaseAddress.Scheme.Should().Be("https");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        authenticated.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Livez_WithoutToken_Returns200OkWhileTheApiRefusesAnonymous()
    {
        using var http = ClientTrustingOnly(_server.CaPem!);

        var livez = await http.GetAsync(new Uri(_server.BaseAddress, "/livez"));
        var api = await http.GetAsync(new Uri(_server.BaseAddress, "/api"));

        livez.StatusCode.Should().Be(HttpStatusCode.OK, "kubelets and load balancers probe liveness without credentials");
        (await livez.Content.ReadAsStringAsync()).Should().Be("ok");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Kubectl_WrittenKubeconfig_WorksOverHttpsWithToken()
    {
        var kubeconfig = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "kubeconfig"));

        var result = await Kubectl.RunAsync(_server.KubeconfigPath!, ["get", "namespaces"]);

        kubeconfig.Should().Contain("certificate-authority-data:").And.Contain("token:").And.NotContain("insecure-skip-tls-verify");
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex("default\\s+Active");
    }

    /// <summary>Validates the server certificate against the generated CA alone, as kubectl does.</summary>
    private static HttpClient ClientTrustingOnly(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
        return new HttpClient(handler);
    }
}
