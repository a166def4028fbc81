namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Traffic sent to a frontend Service shared among backend Services (GAMMA: an HTTPRoute whose parentRef is the
/// Service; or the routing ConfigMap). <paramref name="FrontendPort"/> limits it to one Service port by number.
/// </summary>
/// <param name="Source">What declared it (<c>HTTPRoute ns/name</c>), for logs and precedence.</param>
/// <param name="Precedence">HTTPRoutes (0) win over ConfigMaps (1); then the oldest, then the name, as Gateway API breaks ties.</param>
public sealed record TrafficSplit(
    string Namespace, string Frontend, int? FrontendPort, IReadOnlyList<SplitRule> Rules, string Source, int Precedence, DateTimeOffset CreatedAt)
{
    public bool AppliesTo(string ns, string service, int port) =>
        Namespace == ns && Frontend == service && (FrontendPort is null || FrontendPort == port);
}
