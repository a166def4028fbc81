using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Publishes a model's traffic weights: an HTTPRoute when the cluster serves the Gateway API, else the routing
/// ConfigMap; the form not in use is removed, so a router never sees two sources of weights for one Service.
/// </summary>
public sealed class RecModelRouting(KubeApiClient client, ChildWriter writer, RecModelChildSync sync, RoutingApiProbe probe)
{
    public async Task<IReadOnlyList<string>> SyncAsync(RecModel model, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        var (name, ns, uid) = RecModelChildSync.Identity(model);
        var served = await probe.ServesHttpRoutesAsync(ns, cancellationToken).ConfigureAwait(false);
        var useRoute = weights.Count > 0 && served;
        var configMaps = weights.Count > 0 && !useRoute ? [RoutingBuilder.ConfigMap(model, weights)] : Array.Empty<V1ConfigMap>();
        var changes = new List<string>((await sync.SyncAsync(model, configMaps, cancellationToken).ConfigureAwait(false)).Changes);
        if (!served)
        {
            return changes;
        }

        var routes = client.Unstructured(RoutingBuilder.HttpRouteDescriptor);
        var existing = await RecModelChildSync.ListAsync(routes, ns, OwnedChildren.Selector(name), cancellationToken).ConfigureAwait(false);
        var routeName = ChildNames.HttpRoute(name);
        if (useRoute)
        {
            var current = existing.FirstOrDefault(r => (string?)r["metadata"]?["name"] == routeName);
            var change = await writer.ApplyAsync(RoutingBuilder.HttpRouteDescriptor, RoutingBuilder.HttpRoute(model, weights), (string?)current?["metadata"]?["resourceVersion"], cancellationToken).ConfigureAwait(false);
            if (change != ChildChange.Unchanged)
            {
                changes.Add($"{change} HTTPRoute {routeName}");
            }
        }

        var wanted = useRoute ? new HashSet<string>(StringComparer.Ordinal) { routeName } : [];
        foreach (var stale in OwnedChildren.Unwanted(existing.Select(MetadataOf), uid, wanted))
        {
            if (await writer.DeleteAsync(routes, stale.Name!, ns, stale.Uid!, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"Deleted HTTPRoute {stale.Name}");
            }
        }

        return changes;
    }

    private static V1ObjectMeta? MetadataOf(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata ? System.Text.Json.JsonSerializer.Deserialize(metadata, Kube.KubeJsonContext.Default.V1ObjectMeta) : null;
}
