using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Auth;

/// <summary>
/// The default roles every cluster starts with that DevCluster's requests rely on (a subset of kube-apiserver's bootstrap
/// policy, same names and rules): cluster-admin for system:masters; discovery, the version and health endpoints, and the
/// self-reviews (`kubectl auth can-i`, `kubectl auth whoami`) for every authenticated user; system:auth-delegator (token and
/// access reviews), bound to no one. Created at start when
/// missing; like the real ones they carry the autoupdate annotation, but an edited one is left as it is.
/// </summary>
public static class BootstrapPolicy
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal) { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
    private static readonly Dictionary<string, string> Annotations = new(StringComparer.Ordinal) { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" };
    private static readonly string[] Get = ["get"];
    private static readonly string[] HealthAndVersion = ["/healthz", "/livez", "/readyz", "/version", "/version/"];

    public static IReadOnlyList<V1ClusterRole> ClusterRoles { get; } =
    [
        Role("cluster-admin",
            new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] },
            new V1PolicyRule { NonResourceURLs = ["*"], Verbs = ["*"] }),
        // Unbound by default: what a webhook or an aggregated API server is given to ask about tokens and access.
        Role("system:auth-delegator",
            new V1PolicyRule { ApiGroups = ["authentication.k8s.io"], Resources = ["tokenreviews"], Verbs = ["create"] },
            new V1PolicyRule { ApiGroups = ["authorization.k8s.io"], Resources = ["subjectaccessreviews"], Verbs = ["create"] }),
        Role("system:basic-user",
            new V1PolicyRule { ApiGroups = ["authentication.k8s.io"], Resources = ["selfsubjectreviews"], Verbs = ["create"] },
            new V1PolicyRule { ApiGroups = ["authorization.k8s.io"], Resources = ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], Verbs = ["create"] }),
        Role("system:discovery",
            new V1PolicyRule { NonResourceURLs = ["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", .. HealthAndVersion], Verbs = Get }),
        Role("system:public-info-viewer", new V1PolicyRule { NonResourceURLs = HealthAndVersion, Verbs = Get }),
    ];

    public static IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings { get; } =
    [
        Binding("cluster-admin", UserInfo.Masters),
        Binding("system:basic-user", UserInfo.Authenticated),
        Binding("system:discovery", UserInfo.Authenticated),
        Binding("system:public-info-viewer", UserInfo.Authenticated, UserInfo.Unauthenticated),
    ];

    private static V1ClusterRole Role(string name, params V1PolicyRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels, Annotations = Annotations },
        Rules = rules,
    };

    private static V1ClusterRoleBinding Binding(string role, params string[] groups) => new()
    {
        Metadata = new V1ObjectMeta { Name = role, Labels = Labels, Annotations = Annotations },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        Subjects = [.. groups.Select(g => new V1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = g })],
    };
}
