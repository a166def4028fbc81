using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// The local kube-proxy: watches Services, Endpoints, routing ConfigMaps and (when installed) HTTPRoutes and GRPCRoutes; keeps
/// one listener per Service port, publishes its port in the router-ports annotation, and forwards each request
/// to a ready endpoint chosen by the current <see cref="RoutingTable"/>. All changes funnel into one loop, so
/// listeners and annotations have a single writer; requests only read the table, which is swapped whole.
/// </summary>
public sealed partial class ServiceRouter : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Gathering = TimeSpan.FromMilliseconds(20);
    private const int MaxConnectAttempts = 3;
    private readonly KubeApiClient _client;
    private readonly ILogger _logger;
    private readonly HttpForwarder _forwarder;
    private readonly WatchedCache<V1Service> _services;
    private readonly WatchedCache<V1Endpoints> _endpoints;
    private readonly WatchedCache<V1ConfigMap> _configMaps;
    private readonly GatewayRouteWatch _httpRoutes;
    private readonly GatewayRouteWatch _grpcRoutes;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<ServicePortKey, ServicePortListener> _listeners = [];
    private readonly HashSet<string> _reportedErrors = new(StringComparer.Ordinal);
    private volatile RoutingTable _table = RoutingTable.Empty;

    public ServiceRouter(KubeApiClient client, ILogger logger, TimeSpan connectTimeout)
    {
        (_client, _logger) = (client, logger);
        _forwarder = new HttpForwarder(connectTimeout);
        _services = new WatchedCache<V1Service>(client.For<V1Service>());
        _endpoints = new WatchedCache<V1Endpoints>(client.For<V1Endpoints>());
        _configMaps = new WatchedCache<V1ConfigMap>(client.For<V1ConfigMap>(),
            new ListWatcherOptions { LabelSelector = $"{NetworkingNames.RoutingLabel}={NetworkingNames.RoutingLabelValue}" });
        _httpRoutes = new GatewayRouteWatch(client, GatewayRouteWatch.HttpRoutes, Poke, logger);
        _grpcRoutes = new GatewayRouteWatch(client, GatewayRouteWatch.GrpcRoutes, Poke, logger);
    }

    /// <summary>The table requests are routed by now.</summary>
    public RoutingTable Table => _table;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new[]
        {
            _services.RunAsync((_, _) => Poke(), _logger, cancellationToken),
            _endpoints.RunAsync((_, _) => Poke(), _logger, cancellationToken),
            _configMaps.RunAsync((_, _) => Poke(), _logger, cancellationToken),
            _httpRoutes.RunAsync(cancellationToken),
            _grpcRoutes.RunAsync(cancellationToken),
            ApplyChangesAsync(cancellationToken),
        };
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private void Poke() => _changed.Writer.TryWrite(true);

    private async Task ApplyChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Each change rebuilds the whole table and walks every listener: a burst of Service and Endpoints
                // events (hundreds of models starting) is taken as one rebuild rather than one per event.
                await Task.Delay(Gathering, cancellationToken).ConfigureAwait(false);
                _changed.Reader.TryRead(out _);
                try
                {
                    _table = RoutingTable.Build(_services.Values, _endpoints.Values, CurrentSplits(), _table);
                    await ReconcileListenersAsync(cancellationToken).ConfigureAwait(false);
                    await PublishPortsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever failed (an API write, a bind), the router must keep serving the listeners it has.
                    LogApplyFailed(_logger, e.Message);
                    _ = Task.Delay(RetryDelay, cancellationToken).ContinueWith(_ => Poke(), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private List<TrafficSplit> CurrentSplits()
    {
        var splits = _httpRoutes.Routes.Concat(_grpcRoutes.Routes).SelectMany(TrafficSplitReader.FromRoute).ToList();
        foreach (var map in _configMaps.Values)
        {
            if (TrafficSplitReader.FromConfigMap(map, out var error) is { } split)
            {
                splits.Add(split);
            }
            else if (_reportedErrors.Add(error!))
            {
                LogInvalidSplit(_logger, error!);
            }
        }

        return splits;
    }

    private async Task ReconcileListenersAsync(CancellationToken cancellationToken)
    {
        var routes = _table.Routes;
        foreach (var key in _listeners.Keys.Where(k => !routes.ContainsKey(k) || routes[k].Protocol != _listeners[k].Protocol).ToList())
        {
            await _listeners[key].DisposeAsync().ConfigureAwait(false);
            _listeners.Remove(key);
            LogListener(_logger, key.ToString(), "closed", 0);
        }

        foreach (var (key, route) in routes)
        {
            if (!_listeners.ContainsKey(key))
            {
                var listener = await ServicePortListener.StartAsync(route.Protocol, route.PublishedPort, context => HandleAsync(key, context), cancellationToken)
                    .ConfigureAwait(false);
                _listeners[key] = listener;
                LogListener(_logger, key.ToString(), route.Protocol == ListenerProtocol.Http2 ? "listening (HTTP/2)" : "listening (HTTP/1.1)", listener.Port);
            }
        }
    }

    /// <summary>Writes each Service's router-ports annotation when it differs from the listeners' ports.</summary>
    private async Task PublishPortsAsync(CancellationToken cancellationToken)
    {
        foreach (var group in _listeners.GroupBy(l => (l.Key.Namespace, l.Key.Service)))
        {
            var desired = RouterPorts.Format(group.ToDictionary(l => l.Key.Port, l => l.Value.Port));
            var service = _services.Get($"{group.Key.Namespace}/{group.Key.Service}");
            var published = service?.Metadata?.Annotations?.TryGetValue(NetworkingNames.RouterPortsAnnotation, out var current) == true ? current : null;
            if (service is null || (published is not null && RouterPorts.Format(RouterPorts.Parse(service.Metadata!.Annotations)) == desired))
            {
                continue;
            }

            var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [NetworkingNames.RouterPortsAnnotation] = desired } } };
            try
            {
                await _client.For<V1Service>().PatchAsync(group.Key.Service, KubePatch.Merge(patch), group.Key.Namespace, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                // Deleted meanwhile; its listeners close on the delete event.
            }
        }
    }

    /// <summary>
    /// Forwards to the next ready endpoint; one that refuses the connection is skipped for another (up to
    /// <see cref="MaxConnectAttempts"/>), as a request refused at connect time never reached a pod. Endpoints lag a
    /// pod's death by a watch event, so without this every request sent its way in between would fail.
    /// </summary>
    private async Task HandleAsync(ServicePortKey key, HttpContext context)
    {
        var route = _table.Find(key);
        var path = context.Request.Path.Value ?? "/";
        List<Destination>? refused = null;
        string? reason = null;
        while (route?.Pick(path, refused) is { } destination)
        {
            reason = await _forwarder.ForwardAsync(context, destination).ConfigureAwait(false);
            if (reason is null)
            {
                return;
            }
            (refused ??= []).Add(destination);
            if (refused.Count == MaxConnectAttempts)
            {
                break;
            }
        }
        await (refused is null
            ? ProxyErrors.NoEndpointsAsync(context, key)
            : ProxyErrors.BadGatewayAsync(context, refused[^1], reason!)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _listeners.Clear();
        _forwarder.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "router: {Key} {What} on 127.0.0.1:{Port}")]
    private static partial void LogListener(ILogger logger, string key, string what, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "router: invalid traffic split: {Error}")]
    private static partial void LogInvalidSplit(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "router: applying changes failed ({Error}); retrying")]
    private static partial void LogApplyFailed(ILogger logger, string error);
}
