using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Models;

namespace RecOperator.Operator.Desired;

/// <summary>
/// How the model Service's traffic is split across the variant Services: Gateway API routes (GAMMA style: the parent
/// is the model Service itself) when the cluster serves gateway.networking.k8s.io/v1, an HTTPRoute for the REST port
/// and a GRPCRoute for the gRPC port, each attached to its own Service port so a mesh never sends one protocol to the
/// other's port; else a ConfigMap with the same weights that the project's Service router reads. Pure functions of
/// the model and the weights.
/// </summary>
public static class RoutingBuilder
{
    public const string GatewayGroup = "gateway.networking.k8s.io";
    public const string RoutingLabel = "serving.recoperator.io/routing";
    public const string RoutingLabelValue = "weights";
    public const string RouteForAnnotation = "serving.recoperator.io/route-for";
    public const string WeightsKey = "weights.json";

    public static Kube.ResourceDescriptor HttpRouteDescriptor { get; } = new(GatewayGroup, "v1", "HTTPRoute", "httproutes", Namespaced: true);

    public static Kube.ResourceDescriptor GrpcRouteDescriptor { get; } = new(GatewayGroup, "v1", "GRPCRoute", "grpcroutes", Namespaced: true);

    /// <summary>The route kinds, each with the Service port its traffic uses.</summary>
    public static IReadOnlyList<(Kube.ResourceDescriptor Kind, int Port)> RouteKinds { get; } =
        [(HttpRouteDescriptor, PodPorts.Http), (GrpcRouteDescriptor, PodPorts.Grpc)];

    /// <summary>The HTTPRoute (REST port), as a plain object: Gateway API kinds are custom resources, not in the generated types.</summary>
    public static JsonObject HttpRoute(RecModel model, IReadOnlyDictionary<string, int> weights) => Route(HttpRouteDescriptor, PodPorts.Http, model, weights);

    /// <summary>The GRPCRoute (gRPC port), as a plain object.</summary>
    public static JsonObject GrpcRoute(RecModel model, IReadOnlyDictionary<string, int> weights) => Route(GrpcRouteDescriptor, PodPorts.Grpc, model, weights);

    /// <summary>A route of <paramref name="kind"/> splitting the model Service's <paramref name="port"/> over the variant Services' same port.</summary>
    public static JsonObject Route(Kube.ResourceDescriptor kind, int port, RecModel model, IReadOnlyDictionary<string, int> weights)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var (name, ns) = NameOf(model);
        var backends = new JsonArray();
        foreach (var (variant, weight) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            backends.Add(new JsonObject
            {
                ["group"] = "",
                ["kind"] = "Service",
                ["name"] = ChildNames.VariantService(name, variant),
                ["port"] = port,
                ["weight"] = weight,
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["metadata"] = Metadata(model, name, ns),
            ["spec"] = new JsonObject
            {
                // The port scopes the route to one of the model Service's ports: without it the route would take both, and
                // a mesh would send gRPC to the REST port.
                ["parentRefs"] = new JsonArray(new JsonObject { ["group"] = "", ["kind"] = "Service", ["name"] = ChildNames.ModelService(name), ["port"] = port }),
                ["rules"] = new JsonArray(new JsonObject { ["backendRefs"] = backends }),
            },
        };
    }

    /// <summary>The ConfigMap form: label routing=weights, annotation route-for the model Service, data weights.json.</summary>
    public static V1ConfigMap ConfigMap(RecModel model, IReadOnlyDictionary<string, int> weights)
    {
        var (name, ns) = NameOf(model);
        var json = new JsonObject();
        foreach (var (variant, weight) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            json[ChildNames.VariantService(name, variant)] = weight;
        }

        var labels = ChildLabels.For(name);
        labels[RoutingLabel] = RoutingLabelValue;
        return new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ChildNames.RoutingConfigMap(name),
                Namespace = ns,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [RouteForAnnotation] = ChildNames.ModelService(name) },
                OwnerReferences = [OwnerReferences.ControllerOf(model)],
            },
            Data = new Dictionary<string, string> { [WeightsKey] = json.ToJsonString() },
        };
    }

    // The route is named after the model Service it splits, as GAMMA routes usually are.
    private static JsonObject Metadata(RecModel model, string name, string? ns)
    {
        var owner = JsonSerializer.SerializeToNode(OwnerReferences.ControllerOf(model), Kube.KubeJsonContext.Default.V1OwnerReference)!;
        var labels = new JsonObject();
        foreach (var (key, value) in ChildLabels.For(name))
        {
            labels[key] = value;
        }

        return new JsonObject { ["name"] = ChildNames.Route(name), ["namespace"] = ns, ["labels"] = labels, ["ownerReferences"] = new JsonArray(owner) };
    }

    private static (string Name, string? Namespace) NameOf(RecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (model.Metadata?.Name ?? throw new ArgumentException("the RecModel has no name", nameof(model)), model.Metadata.Namespace);
    }
}
