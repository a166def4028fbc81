namespace RecOperator.DevCluster.Networking;

/// <summary>Everything the router knows about one Service port: how to listen for it and where its requests go.</summary>
/// <param name="PublishedPort">The port the router-ports annotation already names, reused when free so clients keep working across restarts.</param>
/// <param name="Source">Where the rules came from: the Service itself, or the HTTPRoute/ConfigMap that splits it.</param>
public sealed record ServiceRoute(ServicePortKey Key, ListenerProtocol Protocol, int? PublishedPort, IReadOnlyList<RouteRule> Rules, string Source)
{
    /// <summary>Equal signatures mean equal routing, so a rebuilt table keeps the old route and its balancing position.</summary>
    public string Signature => $"{Protocol}|{Source}|{string.Join('|', Rules.Select(r => r.Signature))}";

    /// <summary>
    /// The first rule matching the path decides; null when none matches or it has no ready endpoint outside
    /// <paramref name="excluding"/>.
    /// </summary>
    public Destination? Pick(string path, IReadOnlyCollection<Destination>? excluding = null) => Rules.FirstOrDefault(r => r.Matches(path))?.Pick(excluding);
}
