using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// The DevCluster's Service networking, run beside the API server as its clients (like kube-controller-manager
/// and kube-proxy): the Endpoints controller and the Service router, both over the given Kubernetes client.
/// </summary>
public sealed class NetworkingHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly Task _running;
    private KubeApiClient? _ownedClient;

    private NetworkingHost(ServiceRouter? router, CancellationTokenSource stopping, Task running) => (Router, _stopping, _running) = (router, stopping, running);

    /// <summary>Null when the router is switched off.</summary>
    public ServiceRouter? Router { get; }

    /// <summary>Starts the background loops and returns at once; they list, watch and retry on their own.</summary>
    public static NetworkingHost Start(KubeApiClient client, NetworkingOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new NetworkingOptions();
        var logs = loggerFactory ?? NullLoggerFactory.Instance;
        var stopping = new CancellationTokenSource();
        var loops = new List<Task>();
        if (options.EndpointsController)
        {
            var controller = new EndpointsController(client, logs.CreateLogger<EndpointsController>());
            loops.Add(Task.Run(() => controller.RunAsync(stopping.Token), CancellationToken.None));
        }

        ServiceRouter? router = null;
        if (options.Router)
        {
            router = new ServiceRouter(client, logs.CreateLogger<ServiceRouter>(), options.ConnectTimeout);
            loops.Add(Task.Run(() => router.RunAsync(stopping.Token), CancellationToken.None));
        }

        return new NetworkingHost(router, stopping, Task.WhenAll(loops));
    }

    /// <summary>Starts against the API server a kubeconfig names (`recop devcluster up` passes the one it just wrote).</summary>
    public static NetworkingHost StartFor(string kubeconfigPath, NetworkingOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var client = new KubeApiClient(KubeConfigLoader.Load(kubeconfigPath), new KubeApiClientOptions { LoggerFactory = loggerFactory, UserAgent = "devcluster-networking" });
        var host = Start(client, options, loggerFactory);
        host._ownedClient = client;
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        if (Router is not null)
        {
            await Router.DisposeAsync().ConfigureAwait(false);
        }

        _ownedClient?.Dispose();
        _stopping.Dispose();
    }
}
