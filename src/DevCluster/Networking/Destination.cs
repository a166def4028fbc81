namespace RecOperator.DevCluster.Networking;

/// <summary>Where one request goes: an endpoint address and host port.</summary>
public readonly record struct Destination(string Host, int Port)
{
    public Uri BaseUri => new($"http://{Host}:{Port}");

    public override string ToString() => $"{Host}:{Port}";
}
