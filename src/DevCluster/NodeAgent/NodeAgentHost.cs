using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The node agent: kubelets for the configured local nodes, the scheduler, the deployment and ReplicaSet controllers, all clients
/// of the API server through the project's Kube client. Informers (nodes, pods, deployments, replicasets) wake one level-based
/// pass over everything; the pass also runs every resync interval, which carries the heartbeats.
/// </summary>
public sealed partial class NodeAgentHost : IAsyncDisposable
{
    private readonly KubeApiClient _api;
    private readonly bool _ownsClient;
    private readonly NodeAgentOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<Task> _tasks = [];
    private readonly NodeRegistrar _registrar;
    private readonly DeploymentController _deployments;
    private readonly ReplicaSetController _replicaSets;
    private readonly Scheduler _scheduler;
    private readonly Kubelet _kubelet;
    private readonly NodeAgentEvents _events;

    private NodeAgentHost(KubeApiClient api, bool ownsClient, NodeAgentOptions options, ILoggerFactory loggers)
    {
        (_api, _ownsClient, _options) = (api, ownsClient, options);
        _logger = loggers.CreateLogger<NodeAgentHost>();
        void Wake() => _wake.Writer.TryWrite(true);
        Nodes = new ObjectCache<V1Node>(api.For<V1Node>(), Wake);
        Pods = new ObjectCache<V1Pod>(api.For<V1Pod>(), Wake);
        Deployments = new ObjectCache<V1Deployment>(api.For<V1Deployment>(), Wake);
        ReplicaSets = new ObjectCache<V1ReplicaSet>(api.For<V1ReplicaSet>(), Wake);
        _events = new NodeAgentEvents(api, _logger, options.Time);
        _registrar = new NodeRegistrar(api, options, Nodes, _logger, _events);
        _deployments = new DeploymentController(api, Deployments, ReplicaSets, Pods, options.Time, _logger, _events.Deployments);
        _replicaSets = new ReplicaSetController(api, ReplicaSets, Pods, options.Time, _logger, _events.ReplicaSets);
        _scheduler = new Scheduler(api, Nodes, Pods, options.Time, _logger, _events.Scheduler);
        _kubelet = new Kubelet(api, options, Pods, _registrar, _logger, _events.Kubelet);
    }

    public ObjectCache<V1Node> Nodes { get; }

    public ObjectCache<V1Pod> Pods { get; }

    public ObjectCache<V1Deployment> Deployments { get; }

    public ObjectCache<V1ReplicaSet> ReplicaSets { get; }

    public NodeAgentOptions Options => _options;

    /// <summary>Starts against the API server of a kubeconfig (what `recop devcluster up` and tests use).</summary>
    public static Task<NodeAgentHost> StartAsync(string kubeconfigPath, NodeAgentOptions options, ILoggerFactory? loggers, CancellationToken ct) =>
        StartAsync(new KubeApiClient(KubeConfigLoader.Load(kubeconfigPath), new KubeApiClientOptions { LoggerFactory = loggers, UserAgent = "devcluster-node-agent" }), ownsClient: true, options, loggers, ct);

    /// <summary>Starts with a client the caller owns. Returns once the nodes are registered and the informers have listed.</summary>
    public static async Task<NodeAgentHost> StartAsync(KubeApiClient api, bool ownsClient, NodeAgentOptions options, ILoggerFactory? loggers, CancellationToken ct)
    {
        var host = new NodeAgentHost(api, ownsClient, options, loggers ?? NullLoggerFactory.Instance);
        await host._registrar.RegisterAsync(ct).ConfigureAwait(false);
        var stop = host._stopping.Token;
        host._tasks.Add(Task.Run(() => host.Nodes.RunAsync(host._logger, stop), CancellationToken.None));
        host._tasks.Add(Task.Run(() => host.Pods.RunAsync(host._logger, stop), CancellationToken.None));
        host._tasks.Add(Task.Run(() => host.Deployments.RunAsync(host._logger, stop), CancellationToken.None));
        host._tasks.Add(Task.Run(() => host.ReplicaSets.RunAsync(host._logger, stop), CancellationToken.None));
        while (!(host.Nodes.HasSynced && host.Pods.HasSynced && host.Deployments.HasSynced && host.ReplicaSets.HasSynced))
        {
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
        host._tasks.Add(Task.Run(() => host.LoopAsync(stop), CancellationToken.None));
        return host;
    }

    /// <summary>Takes the nodes of a pool (or one node) down, or brings them back; see <see cref="NodeSwitch"/>.</summary>
    public Task<IReadOnlyList<string>> SetDownAsync(string? pool, string? node, bool down, CancellationToken ct) =>
        NodeSwitch.SetAsync(_api, pool, node, down, ct);

    private async Task LoopAsync(CancellationToken ct)
    {
        var tick = _options.ResyncInterval < _options.HeartbeatInterval ? _options.ResyncInterval : _options.HeartbeatInterval;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _registrar.SyncAsync(ct).ConfigureAwait(false);
                await _deployments.ReconcileAllAsync(ct).ConfigureAwait(false);
                await _replicaSets.ReconcileAllAsync(ct).ConfigureAwait(false);
                await _scheduler.ScheduleAllAsync(ct).ConfigureAwait(false);
                await _kubelet.SyncAsync(ct).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(tick);
                await _wake.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Resync tick.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                LogPassFailed(_logger, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in _tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
        await _kubelet.DisposeAsync().ConfigureAwait(false);
        // After the kubelet: the Killing Events of its last pods are still written.
        await _events.DisposeAsync().ConfigureAwait(false);
        if (_ownsClient)
        {
            _api.Dispose();
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "node agent pass failed: {Error}")]
    private static partial void LogPassFailed(ILogger logger, string error);
}
