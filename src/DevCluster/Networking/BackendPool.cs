namespace RecOperator.DevCluster.Networking;

/// <summary>The ready endpoints of one backend Service port, with the share of traffic it gets.</summary>
public sealed record BackendPool(string Service, int Weight, IReadOnlyList<Destination> Destinations)
{
    public string Signature => $"{Service}*{Weight}[{string.Join(',', Destinations)}]";
}
