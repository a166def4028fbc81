using RecOperator.DevCluster.Hosting;

namespace RecOperator.DevCluster.Tests.Support;

/// <summary>
/// One in-process control plane per test class, on 127.0.0.1 port 0 over plain HTTP, with its data
/// directory (so kubectl gets a kubeconfig) and short bookmark intervals.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    private DevClusterServer? _server;

    public DevClusterServer Server => _server ?? throw new InvalidOperationException("fixture not started");
    public ApiClient Api { get; private set; } = null!;
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("devcluster-test-").FullName;

    protected virtual DevClusterOptions Options => new()
    {
        DataDirectory = DataDirectory,
        Secure = false,
        BookmarkInterval = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _server = await DevClusterServer.StartAsync(Options, CancellationToken.None);
        Api = new ApiClient(new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
        foreach (var crd in new[] { "widgets-crd.yaml" })
        {
            var result = await Kubectl.RunAsync(_server.KubeconfigPath!, ["apply", "-f", Kubectl.Asset(crd)]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"applying {crd} failed: {result.Stderr}");
            }
        }
    }

    public Task<Kubectl.Result> RunKubectlAsync(IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 30) =>
        Kubectl.RunAsync(Server.KubeconfigPath!, args, stdin, timeoutSeconds);

    public async Task DisposeAsync()
    {
        Api?.Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Directory.Delete(DataDirectory, recursive: true);
    }
}
