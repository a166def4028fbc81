namespace RecOperator.Kube.Config.Exec;

/// <summary>
/// A kubeconfig user's <c>exec</c> section, validated and resolved: <see cref="Command"/> is absolute when the
/// kubeconfig gave a relative path, else a name looked up on PATH.
/// </summary>
public sealed record ExecPluginSpec
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";

    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Set for the plugin on top of this process's environment, in order (a later name wins).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary><see cref="V1"/> or <see cref="V1Beta1"/>: the version of the ExecCredential sent and expected back.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>Shown when the command is not found, e.g. how to install the plugin.</summary>
    public string? InstallHint { get; init; }

    /// <summary>The cluster the plugin authenticates to, sent as <c>spec.cluster</c>; null unless provideClusterInfo.</summary>
    public ExecClusterInfo? Cluster { get; init; }

    /// <summary>Where the kubeconfig configures the plugin, e.g. <c>/home/me/.kube/config: users[0].user.exec</c>, for messages.</summary>
    public required string Origin { get; init; }
}
