namespace RecOperator.DevCluster.Auth;

/// <summary>
/// Who a request is from, as authentication and impersonation resolve it: the name and the groups that RBAC subjects
/// (User, Group, ServiceAccount) are matched against.
/// </summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The group kube-apiserver allows everything, before any authorizer is asked.</summary>
    public const string Masters = "system:masters";

    /// <summary>Every authenticated user is in it; the default discovery and self-review roles are bound to it.</summary>
    public const string Authenticated = "system:authenticated";

    public const string Unauthenticated = "system:unauthenticated";

    public const string Anonymous = "system:anonymous";

    /// <summary>
    /// The kubeconfig's user (the DATA_DIR/token bearer token): in system:masters, as a cluster's admin credential is,
    /// so the node agent, the demo and every test that uses the kubeconfig may do everything they did before RBAC.
    /// </summary>
    public static UserInfo Admin { get; } = new("devcluster-admin", [Masters, Authenticated]);

    public bool IsMaster => Groups.Contains(Masters, StringComparer.Ordinal);

    public override string ToString() => Groups.Count == 0 ? Name : $"{Name}[{string.Join(',', Groups)}]";
}
