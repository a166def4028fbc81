using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>
/// One control plane per test class in its default mode (HTTPS, the admin's bearer token, RBAC enforced), with raw
/// HTTP clients for the admin and for any other bearer token, and the real kubectl on the kubeconfig it wrote.
/// </summary>
public sealed class SecureClusterFixture : IAsyncLifetime
{
    private readonly List<HttpClient> _clients = [];
    private DevClusterServer? _server;

    public DevClusterServer Server => _server ?? throw new InvalidOperationException("fixture not started");

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("devcluster-rbac-").FullName;

    /// <summary>The cluster admin (system:masters), as the kubeconfig's user.</summary>
    public ApiClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = DataDirectory }, CancellationToken.None);
        Admin = WithToken(_server.Token!);
    }

    /// <summary>Starts the server again on the same data directory (for what must survive a restart).</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        _server = await DevClusterServer.StartAsync(new DevClusterOptions { DataDirectory = DataDirectory }, CancellationToken.None);
        Admin = WithToken(_server.Token!);
    }

    /// <summary>A raw client sending <paramref name="token"/>, trusting only the cluster's CA, as kubectl does.</summary>
    public ApiClient WithToken(string token)
    {
        var ca = X509Certificate2.CreateFromPem(Server.CaPem!);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _clients.Add(http);
        return new ApiClient(http);
    }

    /// <summary>A new namespace with a ServiceAccount in it (as the admin).</summary>
    public async Task<string> NamespaceWithAccountAsync(string account)
    {
        var ns = await Admin.NewNamespaceAsync();
        var created = await Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject { ["metadata"] = new JsonObject { ["name"] = account } });
        if (created.Status != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"serviceaccount create failed: {created.Body}");
        }
        return ns;
    }

    /// <summary>A token of the account through its TokenRequest subresource (as the admin), optionally bound to an object.</summary>
    public async Task<string> TokenAsync(string ns, string account, JsonObject? spec = null)
    {
        var issued = await Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/{account}/token",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec ?? new JsonObject() });
        return issued.Str("status.token") ?? throw new InvalidOperationException($"no token issued: {issued.Status} {issued.Body}");
    }

    public Task<Kubectl.Result> KubectlAsync(params string[] args) => Kubectl.RunAsync(Server.KubeconfigPath!, args);

    public Task<Kubectl.Result> KubectlWithInputAsync(string stdin, params string[] args) => Kubectl.RunAsync(Server.KubeconfigPath!, args, stdin);

    /// <summary>Applies YAML as the admin; throws with kubectl's output when it fails.</summary>
    public async Task ApplyAsync(string yaml)
    {
        var result = await KubectlWithInputAsync(yaml, "apply", "-f", "-");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl apply failed: {result}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Directory.Delete(DataDirectory, recursive: true);
    }
}
