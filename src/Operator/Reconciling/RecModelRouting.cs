using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;
using RecOperator.Operator.Desired;

namespace RecOperator.Operator.Reconciling;

/// <summary>
/// Publishes a model's traffic weights: Gateway API routes when the cluster serves them (an HTTPRoute for the REST port,
/// a GRPCRoute for the gRPC port, each kind when it is served), else the routing ConfigMap; the form not in use is
/// removed, so a router never sees two sources of weights for one Service. A routing object whose name is taken by one
/// the model does not control is left alone and reported, as every child is (<see cref="ChildConflict"/>).
/// </summary>
public sealed class RecModelRouting(KubeApiClient client, ChildWriter writer, RecModelChildSync sync, RoutingApiProbe probe)
{
    public async Task<RoutingSyncResult> SyncAsync(RecModel model, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        var (_, ns, _) = RecModelChildSync.Identity(model);
        var httpServed = await probe.ServesAsync(RoutingBuilder.HttpRouteDescriptor, ns, cancellationToken).ConfigureAwait(false);
        var configMaps = weights.Count > 0 && !httpServed ? [RoutingBuilder.ConfigMap(model, weights)] : Array.Empty<V1ConfigMap>();
        var configMap = await sync.SyncAsync(model, configMaps, cancellationToken).ConfigureAwait(false);
        var changes = new List<string>(configMap.Changes);
        var conflicts = new List<ChildConflict>(configMap.Conflicts);
        foreach (var (kind, port) in RoutingBuilder.RouteKinds)
        {
            if (await probe.ServesAsync(kind, ns, cancellationToken).ConfigureAwait(false))
            {
                await SyncRouteAsync(model, kind, port, weights, changes, conflicts, cancellationToken).ConfigureAwait(false);
            }
        }

        return new RoutingSyncResult(changes, conflicts);
    }

    /// <summary>Applies the route of one kind (when there are weights) and deletes the model's other routes of that kind; adds what it did to the lists.</summary>
    private async Task SyncRouteAsync(RecModel model, Kube.ResourceDescriptor kind, int port, IReadOnlyDictionary<string, int> weights,
        List<string> changes, List<ChildConflict> conflicts, CancellationToken cancellationToken)
    {
        var (name, ns, uid) = RecModelChildSync.Identity(model);
        var routes = client.Unstructured(kind);
        var existing = await RecModelChildSync.ListAsync(routes, ns, OwnedChildren.Selector(name), cancellationToken).ConfigureAwait(false);
        var routeName = ChildNames.Route(name);
        var useRoute = weights.Count > 0;
        if (useRoute)
        {
            var current = existing.FirstOrDefault(r => (string?)r["metadata"]?["name"] == routeName)
                ?? await RecModelChildSync.NamedAsync(routes, ns, routeName, cancellationToken).ConfigureAwait(false);
            if (ChildConflict.Find(kind.Kind, current is null ? null : MetadataOf(current), uid) is { } conflict)
            {
                // A route of that name that is not the model's (a user's own): left alone, as every child is.
                conflicts.Add(conflict);
            }
            else
            {
                var change = await writer.ApplyAsync(kind, RoutingBuilder.Route(kind, port, model, weights), current, cancellationToken).ConfigureAwait(false);
                if (change != ChildChange.Unchanged)
                {
                    changes.Add($"{change} {kind.Kind} {routeName}");
                }
            }
        }

        var wanted = useRoute ? new HashSet<string>(StringComparer.Ordinal) { routeName } : [];
        foreach (var stale in OwnedChildren.Unwanted(existing.Select(MetadataOf), uid, wanted))
        {
            if (await writer.DeleteAsync(routes, stale.Name!, ns, stale.Uid!, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"Deleted {kind.Kind} {stale.Name}");
            }
        }
    }

    private static V1ObjectMeta? MetadataOf(JsonObject obj) =>
        obj["metadata"] is JsonObject metadata ? System.Text.Json.JsonSerializer.Deserialize(metadata, Kube.KubeJsonContext.Default.V1ObjectMeta) : null;
}
