namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// What a container image runs as on this machine. <see cref="Command"/> and <see cref="Args"/> play the image's
/// ENTRYPOINT and CMD: a container's own command replaces both, its args replace <see cref="Args"/>.
/// <see cref="PortEnv"/> names, for each containerPort, the variable that receives the host port the process must
/// listen on (each pod gets its own ports on 127.0.0.1); <see cref="PortArgs"/> does the same for programs that take
/// the port as a command-line flag (the operator's --health-port).
/// </summary>
public sealed record ImageCommand
{
    /// <summary>The image repository, without tag or digest, e.g. ghcr.io/recoperator/recpod.</summary>
    public required string Repository { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>containerPort (decimal) -> environment variable, e.g. {"8080": "RECPOD_HTTP_PORT"}.</summary>
    public IReadOnlyDictionary<string, string> PortEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// containerPort (decimal) -> flag, e.g. {"8081": "--health-port"}: the flag's value in the argv (--flag=N or
    /// --flag N) becomes the host port, and the flag is appended when the argv lacks it.
    /// </summary>
    public IReadOnlyDictionary<string, string> PortArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment the image would bring; the pod spec's env wins.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
