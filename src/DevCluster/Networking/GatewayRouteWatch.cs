using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Kube.Watching;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Watches one Gateway API route kind (HTTPRoute, GRPCRoute) only while its CRD is installed: the CRD itself is
/// watched, and the route watch starts when it appears and stops (forgetting every route) when it goes, so a cluster
/// without the Gateway API is not polled with requests that can only fail.
/// </summary>
internal sealed class GatewayRouteWatch
{
    public static readonly ResourceDescriptor HttpRoutes = new("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", Namespaced: true);

    public static readonly ResourceDescriptor GrpcRoutes = new("gateway.networking.k8s.io", "v1", "GRPCRoute", "grpcroutes", Namespaced: true);

    private readonly KubeApiClient _client;
    private readonly ResourceDescriptor _kind;
    private readonly Action _changed;
    private readonly ILogger _logger;
    private WatchedCache<JsonObject>? _routes;

    public GatewayRouteWatch(KubeApiClient client, ResourceDescriptor kind, Action changed, ILogger logger) =>
        (_client, _kind, _changed, _logger) = (client, kind, changed, logger);

    private string CrdName => $"{_kind.Plural}.{_kind.Group}";

    /// <summary>The routes seen so far; empty while the CRD is absent.</summary>
    public ICollection<JsonObject> Routes => _routes?.Values ?? [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var crds = new WatchedCache<V1CustomResourceDefinition>(
            _client.For<V1CustomResourceDefinition>(), new ListWatcherOptions { FieldSelector = $"metadata.name={CrdName}" });
        CancellationTokenSource? watching = null;
        var running = new ConcurrentBag<Task>();
        await crds.RunAsync((_, current) =>
        {
            var served = current?.Spec?.Versions?.Any(v => v.Name == "v1" && v.Served) == true;
            if (served && watching is null)
            {
                watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                _routes = new WatchedCache<JsonObject>(_client.Unstructured(_kind));
                running.Add(_routes.RunAsync((_, _) => _changed(), _logger, watching.Token));
            }
            else if (!served && watching is not null)
            {
                watching.Cancel();
                watching.Dispose();
                (watching, _routes) = (null, null);
                _changed();
            }
        }, _logger, cancellationToken).ConfigureAwait(false);

        watching?.Cancel();
        await Task.WhenAll(running).ConfigureAwait(false);
        watching?.Dispose();
    }
}
