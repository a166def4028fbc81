namespace RecOperator.DevCluster.Networking;

/// <summary>Headers that describe one connection, not the message (RFC 9110 7.6.1); a proxy must not forward them, and HTTP/2 forbids them.</summary>
internal static class HopByHopHeaders
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Alt-Svc",
    };

    /// <summary>True for hop-by-hop names and HTTP/2 pseudo-headers (":path"), which the forwarder never copies.</summary>
    public static bool IsHopByHop(string name) => Names.Contains(name) || name.StartsWith(':');
}
