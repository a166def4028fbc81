namespace RecOperator.DevCluster.Networking;

/// <summary>What <see cref="NetworkingHost"/> runs. Defaults are those of `recop devcluster up`.</summary>
public sealed record NetworkingOptions
{
    /// <summary>Keep core/v1 Endpoints of selector Services in step with their pods.</summary>
    public bool EndpointsController { get; init; } = true;

    /// <summary>Give each Service port a local 127.0.0.1 port that forwards to its ready endpoints.</summary>
    public bool Router { get; init; } = true;

    /// <summary>How long the router waits for a backend's TCP connect before answering 502 / UNAVAILABLE.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
