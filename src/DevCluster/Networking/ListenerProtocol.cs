namespace RecOperator.DevCluster.Networking;

/// <summary>What a router listener speaks. Cleartext cannot negotiate, so a port is either HTTP/1.1 or HTTP/2 with prior knowledge.</summary>
public enum ListenerProtocol
{
    Http1,
    Http2,
}
