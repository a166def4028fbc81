using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// Each pod runs on 127.0.0.1 beside every other, so each containerPort gets a free host port of its own; the map is
/// published as the pod annotation <see cref="Annotation"/> = {"8080": 40123, ...} (contract 1).
/// </summary>
public static class HostPorts
{
    public const string Annotation = "devcluster.recoperator.io/host-ports";

    /// <summary>Free ports for the given containerPorts. All are held at once while choosing, so no two are equal.</summary>
    public static IReadOnlyDictionary<int, int> Allocate(IEnumerable<int> containerPorts)
    {
        var listeners = new List<TcpListener>();
        try
        {
            var map = new Dictionary<int, int>();
            foreach (var port in containerPorts.Distinct())
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
                map[port] = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            return map;
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
                listener.Dispose();
            }
        }
    }

    public static string ToAnnotation(IReadOnlyDictionary<int, int> map) =>
        JsonSerializer.Serialize(map.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value),
            HostPortsJsonContext.Default.DictionaryStringInt32);
}
