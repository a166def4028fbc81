using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Keeps a core/v1 Endpoints object per selector Service, like kube-controller-manager's Endpoints controller:
/// it watches Services and Pods over the API, and a level-based reconcile per Service re-reads the current
/// Endpoints and writes only a difference (create, update with its resourceVersion, delete once the Service is
/// gone). A conflict is retried at once against a fresh read; any other failure after a delay.
/// </summary>
public sealed partial class EndpointsController
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly KubeApiClient _client;
    private readonly ILogger _logger;
    private readonly WatchedCache<V1Service> _services;
    private readonly WatchedCache<V1Pod> _pods;
    private readonly KeyedWorkQueue _queue = new();

    public EndpointsController(KubeApiClient client, ILogger logger)
    {
        (_client, _logger) = (client, logger);
        _services = new WatchedCache<V1Service>(client.For<V1Service>());
        _pods = new WatchedCache<V1Pod>(client.For<V1Pod>());
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new[]
        {
            _services.RunAsync((old, current) => _queue.Add(_services.KeyOf(current ?? old!)), _logger, cancellationToken),
            _pods.RunAsync(OnPodChanged, _logger, cancellationToken),
            DeleteOrphansAsync(cancellationToken),
            WorkAsync(cancellationToken),
        };
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>A pod change touches every Service of its namespace that selected it before or selects it now.</summary>
    private void OnPodChanged(V1Pod? old, V1Pod? current)
    {
        var ns = (current ?? old)!.Metadata?.Namespace;
        foreach (var service in _services.Values)
        {
            if (service.Metadata?.Namespace == ns
                && (PodReadiness.Selects(service.Spec?.Selector, old?.Metadata?.Labels) || PodReadiness.Selects(service.Spec?.Selector, current?.Metadata?.Labels)))
            {
                _queue.Add(_services.KeyOf(service));
            }
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeConflictException or KubeAlreadyExistsException)
            {
                _queue.Add(key);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One Service's failure must not stop the others: log, and try it again later.
                LogReconcileFailed(_logger, key, e.Message);
                _queue.AddAfter(key, RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var endpoints = _client.For<V1Endpoints>();
        var current = await endpoints.TryGetAsync(name, ns, cancellationToken).ConfigureAwait(false);
        var service = _services.Get(key);
        var desired = service is null ? null : EndpointsBuilder.Build(service, _pods.Values.Where(p => p.Metadata?.Namespace == ns));
        if (desired is null)
        {
            // No Service, or one without a selector: only Endpoints we wrote are ours to remove.
            if (service is null && IsManaged(current))
            {
                await DeleteAsync(endpoints, name, ns, current!, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (current is null)
        {
            await endpoints.CreateAsync(desired, ns, cancellationToken).ConfigureAwait(false);
            LogWritten(_logger, key, "created");
        }
        else if (!SameContent(current, desired))
        {
            var labels = new Dictionary<string, string>(current.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (label, value) in desired.Metadata!.Labels!)
            {
                labels[label] = value;
            }

            await endpoints.UpdateAsync(current with { Metadata = current.Metadata! with { Labels = labels }, Subsets = desired.Subsets }, cancellationToken)
                .ConfigureAwait(false);
            LogWritten(_logger, key, "updated");
        }
    }

    /// <summary>Endpoints left behind by Services deleted while no controller ran.</summary>
    private async Task DeleteOrphansAsync(CancellationToken cancellationToken)
    {
        var endpoints = _client.For<V1Endpoints>();
        var options = new ListOptions { LabelSelector = $"{NetworkingNames.ManagedByLabel}={NetworkingNames.EndpointsControllerName}" };
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await foreach (var item in endpoints.ListAllAsync(null, options, cancellationToken).ConfigureAwait(false))
                {
                    var id = endpoints.Identify(item);
                    if (await _client.For<V1Service>().TryGetAsync(id.Name!, id.Namespace, cancellationToken).ConfigureAwait(false) is null)
                    {
                        await DeleteAsync(endpoints, id.Name!, id.Namespace!, item, cancellationToken).ConfigureAwait(false);
                    }
                }

                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is KubeApiException or HttpRequestException or IOException or TimeoutException)
            {
                LogReconcileFailed(_logger, "(orphan sweep)", e.Message);
                await Task.Delay(RetryDelay * Math.Min(attempt + 1, 30), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeleteAsync(ResourceClient<V1Endpoints> endpoints, string name, string ns, V1Endpoints current, CancellationToken cancellationToken)
    {
        try
        {
            // The uid precondition keeps us from deleting an Endpoints that someone recreated meanwhile.
            await endpoints.DeleteAsync(name, ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = current.Metadata?.Uid } }, cancellationToken)
                .ConfigureAwait(false);
            LogWritten(_logger, $"{ns}/{name}", "deleted");
        }
        catch (KubeNotFoundException)
        {
            // Already gone.
        }
    }

    private static bool IsManaged(V1Endpoints? endpoints) =>
        endpoints?.Metadata?.Labels?.TryGetValue(NetworkingNames.ManagedByLabel, out var by) == true && by == NetworkingNames.EndpointsControllerName;

    private static bool SameContent(V1Endpoints current, V1Endpoints desired) =>
        desired.Metadata!.Labels!.All(l => current.Metadata?.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value)
        && JsonSerializer.Serialize(current.Subsets ?? [], KubeJsonContext.Default.IListV1EndpointSubset)
            == JsonSerializer.Serialize(desired.Subsets ?? [], KubeJsonContext.Default.IListV1EndpointSubset);

    private static (string Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "endpoints {Key} {Action}")]
    private static partial void LogWritten(ILogger logger, string key, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "endpoints {Key}: {Error}; retrying")]
    private static partial void LogReconcileFailed(ILogger logger, string key, string error);
}
