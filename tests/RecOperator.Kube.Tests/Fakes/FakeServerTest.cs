using System.Net;
using System.Net.Sockets;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;

namespace RecOperator.Kube.Tests.Fakes;

/// <summary>Base of tests that talk to a fresh <see cref="FakeApiServer"/> through a real client.</summary>
public abstract class FakeServerTest : IAsyncLifetime
{
    public const string ConfigMapsPath = "/api/v1/namespaces/default/configmaps";
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));

    protected FakeApiServer Server { get; private set; } = null!;

    protected KubeApiClient Client { get; private set; } = null!;

    /// <summary>Cancelled when the test ends: background loops started by the test stop with it.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>The ConfigMaps of namespace "default": the collection most tests work with.</summary>
    protected FakeCollection ConfigMaps { get; private set; } = null!;

    /// <summary>The bearer token the client sends; null sends none.</summary>
    protected virtual string? Token => null;

    public virtual async Task InitializeAsync()
    {
        Server = await FakeApiServer.StartAsync();
        ConfigMaps = Server.AddCollection(ConfigMapsPath, "ConfigMap", "v1");
        Client = new KubeApiClient(KubeClientConfig.ForServer(Server.BaseAddress, Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _stop.Dispose();
    }

    protected Task StopBackgroundWorkAsync() => _stop.CancelAsync();

    /// <summary>A loopback port nothing listens on: the address of an unreachable API server.</summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
