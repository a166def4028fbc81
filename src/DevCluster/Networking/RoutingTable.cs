using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// An immutable snapshot of where each Service port's traffic goes, rebuilt from the watched Services,
/// Endpoints and splits on every change; no I/O. A Service without a split sends to its own ready endpoints.
/// </summary>
public sealed class RoutingTable
{
    private readonly Dictionary<ServicePortKey, ServiceRoute> _routes;

    private RoutingTable(Dictionary<ServicePortKey, ServiceRoute> routes) => _routes = routes;

    public static RoutingTable Empty { get; } = new([]);

    public IReadOnlyDictionary<ServicePortKey, ServiceRoute> Routes => _routes;

    public ServiceRoute? Find(ServicePortKey key) => _routes.GetValueOrDefault(key);

    /// <param name="previous">Routes whose signature did not change are carried over, keeping their balancing position.</param>
    public static RoutingTable Build(
        IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints, IEnumerable<TrafficSplit> splits, RoutingTable? previous = null)
    {
        var byName = services.Where(s => s.Spec?.Type != "ExternalName")
            .ToDictionary(s => (s.Metadata?.Namespace ?? "", s.Metadata?.Name ?? ""));
        var endpointsByName = endpoints.ToDictionary(e => (e.Metadata?.Namespace ?? "", e.Metadata?.Name ?? ""));
        var ordered = splits.OrderBy(s => s.Precedence).ThenBy(s => s.CreatedAt).ThenBy(s => s.Source, StringComparer.Ordinal).ToList();
        var routes = new Dictionary<ServicePortKey, ServiceRoute>();
        foreach (var ((ns, name), service) in byName)
        {
            var published = RouterPorts.Parse(service.Metadata?.Annotations);
            foreach (var port in service.Spec?.Ports ?? [])
            {
                var key = ServicePortKey.Of(service, port);
                var split = ordered.FirstOrDefault(s => s.AppliesTo(ns, name, port.Port));
                var rules = split is null
                    ? [new RouteRule([], [PoolOf(service, port, endpointsByName, 1)])]
                    : split.Rules.Select(r => new RouteRule(r.Paths, r.Backends.Select(b => BackendPoolOf(b, ns, port, byName, endpointsByName)).ToList())).ToList();
                var route = new ServiceRoute(key, ListenerProtocols.For(port), published.TryGetValue(key.Port, out var p) ? p : null, rules,
                    split?.Source ?? $"Service {ns}/{name}");
                routes[key] = previous?.Find(key) is { } old && old.Signature == route.Signature ? old : route;
            }
        }

        return new RoutingTable(routes);
    }

    /// <summary>A backendRef's pool; a Service that does not exist (yet) is a pool without endpoints, so it gets no traffic.</summary>
    private static BackendPool BackendPoolOf(
        WeightedBackend backend, string ns, V1ServicePort frontendPort,
        Dictionary<(string, string), V1Service> services, Dictionary<(string, string), V1Endpoints> endpoints)
    {
        if (!services.TryGetValue((ns, backend.Service), out var service) || BackendPortOf(service, backend, frontendPort) is not { } port)
        {
            return new BackendPool(backend.Service, backend.Weight, []);
        }

        return PoolOf(service, port, endpoints, backend.Weight);
    }

    /// <summary>The backendRef's port by number; else the port named like the frontend's; else the only port; else the same number.</summary>
    private static V1ServicePort? BackendPortOf(V1Service service, WeightedBackend backend, V1ServicePort frontendPort)
    {
        var ports = service.Spec?.Ports ?? [];
        if (backend.Port is { } number)
        {
            return ports.FirstOrDefault(p => p.Port == number);
        }

        return ports.FirstOrDefault(p => !string.IsNullOrEmpty(p.Name) && p.Name == frontendPort.Name)
            ?? (ports.Count == 1 ? ports[0] : ports.FirstOrDefault(p => p.Port == frontendPort.Port));
    }

    private static BackendPool PoolOf(V1Service service, V1ServicePort port, Dictionary<(string, string), V1Endpoints> endpoints, int weight)
    {
        var name = service.Metadata?.Name ?? "";
        var destinations = new List<Destination>();
        if (endpoints.TryGetValue((service.Metadata?.Namespace ?? "", name), out var found))
        {
            foreach (var subset in found.Subsets ?? [])
            {
                // Endpoints ports carry the Service port's name ("" when the Service has a single unnamed port).
                var endpointPort = subset.Ports?.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""));
                if (endpointPort is null)
                {
                    continue;
                }

                destinations.AddRange((subset.Addresses ?? []).Select(a => new Destination(a.Ip, endpointPort.Port)));
            }
        }

        destinations.Sort((a, b) => (a.Host, a.Port).CompareTo((b.Host, b.Port)));
        return new BackendPool(name, weight, destinations);
    }
}
