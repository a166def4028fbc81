using System.Globalization;
using System.Text.Json;

namespace RecOperator.DevCluster.Networking;

/// <summary>
/// Reads the node agent's host-ports annotation. A pod process cannot listen on its containerPort (every pod
/// shares 127.0.0.1), so the agent publishes where each containerPort really is.
/// </summary>
public static class HostPortMap
{
    /// <summary>containerPort to host port; empty when the annotation is absent or not a JSON object of ports.</summary>
    public static IReadOnlyDictionary<int, int> Parse(IDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(NetworkingNames.HostPortsAnnotation, out var json) || string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<int, int>();
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new Dictionary<int, int>();
            }

            var ports = new Dictionary<int, int>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var containerPort)
                    && entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt32(out var hostPort) && hostPort is > 0 and < 65536)
                {
                    ports[containerPort] = hostPort;
                }
            }

            return ports;
        }
        catch (JsonException)
        {
            // A malformed annotation means "no mapping": the pod's ports are then taken as they are declared.
            return new Dictionary<int, int>();
        }
    }
}
