using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Tests.Fakes;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Tests.Reconciling;

/// <summary>
/// The in-process DevCluster for a reconciler that reads from informer caches, as the running operator's do. The
/// reconciler's <see cref="Client"/> records its requests; the informers list and watch on a client of their own, so
/// every request <see cref="Recorder"/> holds is the reconciler's.
/// </summary>
public sealed class CachedReadsCluster : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private KubeApiClient _informerClient = null!;
    private Task _running = Task.CompletedTask;

    public OperatorCluster Cluster { get; } = new();

    public RecordingHandler Recorder { get; } = new();

    public KubeApiClient Client { get; private set; } = null!;

    public SharedInformerFactory Informers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Client = Cluster.NewClient(Recorder);
        _informerClient = Cluster.NewClient(new SocketsHttpHandler());
        Informers = new SharedInformerFactory(_informerClient, NullLoggerFactory.Instance);
    }

    /// <summary>Runs every informer made so far, without waiting for their first lists.</summary>
    public void RunInformers() => _running = Informers.RunAsync(_stop.Token);

    /// <summary>Runs every informer made so far and waits until each has loaded its first list.</summary>
    public async Task RunInformersUntilSyncedAsync()
    {
        RunInformers();
        await Eventually.Until(() => Informers.Informers.All(i => i.HasSynced));
    }

    /// <summary>Stops the informers: their caches stay as they last were.</summary>
    public async Task StopInformersAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async Task DisposeAsync()
    {
        await StopInformersAsync();
        _stop.Dispose();
        Client.Dispose();
        _informerClient.Dispose();
        await Cluster.DisposeAsync();
    }
}
