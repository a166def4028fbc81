using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>Decides the protocol of a Service port from its appProtocol, else its name (Istio-style <c>grpc</c>, <c>grpc-web-api</c>).</summary>
public static class ListenerProtocols
{
    private static readonly string[] Http2Names = ["grpc", "h2c", "http2"];

    public static ListenerProtocol For(V1ServicePort port)
    {
        if (!string.IsNullOrEmpty(port.AppProtocol))
        {
            // kubernetes.io/h2c is the standard name; grpc and h2c are common conventions.
            var app = port.AppProtocol.ToLowerInvariant();
            return app is "kubernetes.io/h2c" || Http2Names.Contains(app) ? ListenerProtocol.Http2 : ListenerProtocol.Http1;
        }

        var name = (port.Name ?? "").ToLowerInvariant();
        return Http2Names.Any(p => name == p || name.StartsWith(p + "-", StringComparison.Ordinal)) ? ListenerProtocol.Http2 : ListenerProtocol.Http1;
    }
}
