using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Networking;

/// <summary>The router-ports annotation: {"service port name or number": local port}; read back to keep ports stable across restarts.</summary>
public static class RouterPorts
{
    public static IReadOnlyDictionary<string, int> Parse(IDictionary<string, string>? annotations)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        if (annotations is null || !annotations.TryGetValue(NetworkingNames.RouterPortsAnnotation, out var json))
        {
            return ports;
        }

        try
        {
            if (JsonNode.Parse(json) is JsonObject map)
            {
                foreach (var (name, value) in map)
                {
                    if (value is JsonValue v && v.TryGetValue<int>(out var port) && port is > 0 and < 65536)
                    {
                        ports[name] = port;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Someone wrote garbage: treat as no ports published, and the next publication overwrites it.
        }

        return ports;
    }

    /// <summary>Canonical form (keys sorted) so an unchanged map compares equal as text and is not re-patched.</summary>
    public static string Format(IReadOnlyDictionary<string, int> ports)
    {
        var map = new JsonObject();
        foreach (var (name, port) in ports.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[name] = port;
        }

        return map.ToJsonString();
    }
}
