using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelets' node-facing half: registers every node of the config, posts their Ready condition and renews
/// their Lease in kube-node-lease each heartbeat, and turns a node marked down (see <see cref="NodeSwitch"/>) into an
/// unreachable one (Ready Unknown, unreachable taints, no heartbeats) until it is marked up again. A cordoned node
/// (spec.unschedulable) gets the unschedulable taint, as the node lifecycle controller gives it.
/// </summary>
public sealed partial class NodeRegistrar
{
    private readonly KubeApiClient _api;
    private readonly NodeAgentOptions _options;
    private readonly ObjectCache<V1Node> _nodes;
    private readonly ILogger _logger;
    private readonly NodeAgentEvents _events;
    private readonly Dictionary<string, DateTimeOffset> _lastHeartbeat = new(StringComparer.Ordinal);

    public NodeRegistrar(KubeApiClient api, NodeAgentOptions options, ObjectCache<V1Node> nodes, ILogger logger, NodeAgentEvents events) =>
        (_api, _options, _nodes, _logger, _events) = (api, options, nodes, logger, events);

    /// <summary>Every configured node, with its pool.</summary>
    public IEnumerable<(NodePoolConfig Pool, string Name, int Index)> Configured =>
        _options.Config.Pools.SelectMany(p => Enumerable.Range(0, p.Count).Select(i => (p, p.NodeName(i), i)));

    public bool Owns(string? nodeName) => Configured.Any(n => n.Name == nodeName);

    /// <summary>A node this agent runs pods on right now: configured and not down.</summary>
    public bool IsUp(string? nodeName) => Owns(nodeName) && _nodes.Get(null, nodeName!) is { } node && !NodeSwitch.IsDown(node);

    /// <summary>Creates missing nodes; existing ones (from an earlier run) keep their down/up state and get the config's labels, taints and resources.</summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        var client = _api.For<V1Node>();
        foreach (var (pool, name, index) in Configured)
        {
            var desired = NodeStatusBuilder.NewNode(pool, index, _options.Time.GetUtcNow());
            var existing = await client.TryGetAsync(name, null, ct).ConfigureAwait(false);
            if (existing is null)
            {
                var created = await client.CreateAsync(desired, null, ct).ConfigureAwait(false);
                _nodes.Record(created);
                _events.Nodes.Post(NodeEvents.RegisteredNode(created));
                continue;
            }
            var labels = new Dictionary<string, string>(existing.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in desired.Metadata!.Labels!)
            {
                labels[key] = value;
            }
            var updated = await KubeWrites.UpdateAsync(client, existing, n => n with
            {
                Metadata = n.Metadata! with { Labels = labels },
                Spec = (n.Spec ?? new V1NodeSpec()) with { Taints = NodeStatusBuilder.Taints(pool, n) },
            }, status: false, ct).ConfigureAwait(false);
            updated = await KubeWrites.UpdateAsync(client, updated!, n => n with
            {
                Status = desired.Status! with { Conditions = n.Status?.Conditions ?? desired.Status!.Conditions },
            }, status: true, ct).ConfigureAwait(false);
            _nodes.Record(updated!);
        }
    }

    /// <summary>Brings each node's taints and Ready condition in line with its down/up mark; heartbeats when due.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var now = _options.Time.GetUtcNow();
        foreach (var (pool, name, _) in Configured)
        {
            if (_nodes.Get(null, name) is not { } node)
            {
                continue;
            }
            try
            {
                await SyncNodeAsync(pool, node, now, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
            {
                LogSyncFailed(_logger, name, e.Message);
            }
        }
    }

    private async Task SyncNodeAsync(NodePoolConfig pool, V1Node node, DateTimeOffset now, CancellationToken ct)
    {
        var name = node.Metadata!.Name!;
        var down = NodeSwitch.IsDown(node);
        var client = _api.For<V1Node>();
        var taints = NodeStatusBuilder.Taints(pool, node);
        if (!NodeStatusBuilder.SameTaints(node.Spec?.Taints, taints))
        {
            LogNodeState(_logger, name, down ? "down" : node.Spec?.Unschedulable == true ? "up, unschedulable" : "up");
            node = await KubeWrites.UpdateAsync(client, node, n => n with { Spec = (n.Spec ?? new V1NodeSpec()) with { Taints = NodeStatusBuilder.Taints(pool, n) } },
                status: false, ct).ConfigureAwait(false) ?? node;
            _nodes.Record(node);
        }
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var heartbeatDue = !down && (!_lastHeartbeat.TryGetValue(name, out var last) || now - last >= _options.HeartbeatInterval);
        var flipped = ready?.Status != (down ? "Unknown" : "True");
        if (!heartbeatDue && !flipped)
        {
            return;
        }
        node = await KubeWrites.UpdateAsync(client, node, n =>
        {
            var isDown = NodeSwitch.IsDown(n);
            var previous = n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            var others = n.Status?.Conditions?.Where(c => c.Type != "Ready") ?? [];
            return n with { Status = (n.Status ?? new V1NodeStatus()) with { Conditions = [.. others, NodeStatusBuilder.ReadyCondition(!isDown, now, previous)] } };
        }, status: true, ct).ConfigureAwait(false) ?? node;
        _nodes.Record(node);
        if (flipped)
        {
            _events.Kubelet.Post(NodeEvents.ReadyChanged(node, !down));
        }
        if (!down)
        {
            _lastHeartbeat[name] = now;
            await RenewLeaseAsync(name, now, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The kubelet's lightweight heartbeat: a Lease named like the node in kube-node-lease.</summary>
    private async Task RenewLeaseAsync(string node, DateTimeOffset now, CancellationToken ct)
    {
        var leases = _api.For<V1Lease>();
        var spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = 40, RenewTime = now };
        var existing = await leases.TryGetAsync(node, "kube-node-lease", ct).ConfigureAwait(false);
        if (existing is null)
        {
            await leases.CreateAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = node, Namespace = "kube-node-lease" }, Spec = spec }, "kube-node-lease", ct).ConfigureAwait(false);
            return;
        }
        await KubeWrites.UpdateAsync(leases, existing, l => l with { Spec = spec }, status: false, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node} is {State}")]
    private static partial void LogNodeState(ILogger logger, string node, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "syncing node {Node} failed: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string node, string error);
}
