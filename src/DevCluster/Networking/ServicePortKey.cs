using System.Globalization;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Networking;

/// <summary>One port of one Service: the unit the router listens for. <paramref name="Port"/> is the port's name, or its number when unnamed.</summary>
public readonly record struct ServicePortKey(string Namespace, string Service, string Port)
{
    /// <summary>The router-ports annotation key of a Service port: its name, or its number when it has none.</summary>
    public static string PortKeyOf(V1ServicePort port) =>
        string.IsNullOrEmpty(port.Name) ? port.Port.ToString(CultureInfo.InvariantCulture) : port.Name;

    public static ServicePortKey Of(V1Service service, V1ServicePort port) =>
        new(service.Metadata?.Namespace ?? "", service.Metadata?.Name ?? "", PortKeyOf(port));

    public override string ToString() => $"{Namespace}/{Service}:{Port}";
}
