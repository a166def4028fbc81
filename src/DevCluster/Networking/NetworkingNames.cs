namespace RecOperator.DevCluster.Networking;

/// <summary>The annotation and label names the node agent, the Endpoints controller and the router agree on (CONTRACTS 1, 3, 4).</summary>
public static class NetworkingNames
{
    /// <summary>On a running Pod: JSON object from containerPort (decimal string) to the host port its process listens on.</summary>
    public const string HostPortsAnnotation = "devcluster.recoperator.io/host-ports";

    /// <summary>On a Service: JSON object from service port name (or number when unnamed) to the router's 127.0.0.1 port.</summary>
    public const string RouterPortsAnnotation = "devcluster.recoperator.io/router-ports";

    /// <summary>Marks the Endpoints this controller writes, so it only ever deletes its own.</summary>
    public const string ManagedByLabel = "devcluster.recoperator.io/managed-by";

    public const string EndpointsControllerName = "endpoints-controller";

    /// <summary>Label selecting the ConfigMap form of a weighted split (used where the Gateway API CRD is not installed).</summary>
    public const string RoutingLabel = "serving.recoperator.io/routing";

    public const string RoutingLabelValue = "weights";

    /// <summary>On a routing ConfigMap: the name of the Service whose traffic it splits.</summary>
    public const string RouteForAnnotation = "serving.recoperator.io/route-for";

    /// <summary>The ConfigMap data key holding {"backend Service": integer weight}.</summary>
    public const string WeightsKey = "weights.json";
}
