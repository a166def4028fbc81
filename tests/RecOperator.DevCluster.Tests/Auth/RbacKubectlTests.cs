using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// RBAC as the real kubectl sees it on the default (HTTPS) control plane: `kubectl auth can-i` as the admin and, through
/// impersonation (--as), as ServiceAccounts bound by ClusterRoleBindings and RoleBindings; requests refused with
/// kube-apiserver's Forbidden wording; and changes to the RBAC objects taking effect on the next request.
/// </summary>
public sealed class RbacKubectlTests(SecureClusterFixture cluster) : IClassFixture<SecureClusterFixture>
{
    [Fact]
    public async Task AuthCanI_ServiceAccountOfAClusterRoleBinding_YesForItsVerbsNoForOthers()
    {
        var ns = await cluster.NamespaceWithAccountAsync("reader");
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: deployment-reader-{{ns}}}
            rules:
            - {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: deployment-reader-{{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployment-reader-{{ns}}}
            subjects: [{kind: ServiceAccount, name: reader, namespace: {{ns}}}]
            """);
        var account = $"system:serviceaccount:{ns}:reader";

        var list = await cluster.KubectlAsync("auth", "can-i", "list", "deployments", "-n", "default", "--as", account);
        var listEverywhere = await cluster.KubectlAsync("auth", "can-i", "list", "deployments.apps", "--all-namespaces", "--as", account);
        var delete = await cluster.KubectlAsync("auth", "can-i", "delete", "deployments", "-n", "default", "--as", account);
        var pods = await cluster.KubectlAsync("auth", "can-i", "list", "pods", "-n", "default", "--as", account);
        var admin = await cluster.KubectlAsync("auth", "can-i", "delete", "deployments", "-n", "default");

        (list.ExitCode, list.Stdout.Trim()).Should().Be((0, "yes"), list.ToString());
        (listEverywhere.ExitCode, listEverywhere.Stdout.Trim()).Should().Be((0, "yes"), listEverywhere.ToString());
        (delete.ExitCode, delete.Stdout.Trim()).Should().Be((1, "no"), delete.ToString());
        (pods.ExitCode, pods.Stdout.Trim()).Should().Be((1, "no"), pods.ToString());
        (admin.ExitCode, admin.Stdout.Trim()).Should().Be((0, "yes"), "the kubeconfig's user is in system:masters");
    }

    [Fact]
    public async Task RoleBinding_Namespaced_GrantsOnlyInItsOwnNamespace()
    {
        var ns = await cluster.NamespaceWithAccountAsync("worker");
        var other = await cluster.Admin.NewNamespaceAsync();
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: {{ns}}}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pod-reader, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
            subjects: [{kind: ServiceAccount, name: worker}]
            """);
        var account = $"system:serviceaccount:{ns}:worker";

        var here = await cluster.KubectlAsync("auth", "can-i", "list", "pods", "-n", ns, "--as", account);
        var there = await cluster.KubectlAsync("auth", "can-i", "list", "pods", "-n", other, "--as", account);
        var listHere = await cluster.KubectlAsync("get", "pods", "-n", ns, "--as", account);
        var listThere = await cluster.KubectlAsync("get", "pods", "-n", other, "--as", account);

        here.Stdout.Trim().Should().Be("yes", "a subject without a namespace is the binding's own namespace's account");
        there.Stdout.Trim().Should().Be("no");
        listHere.ExitCode.Should().Be(0, listHere.ToString());
        listThere.ExitCode.Should().Be(1);
        listThere.Stderr.Should().Contain(
            $"Error from server (Forbidden): pods is forbidden: User \"{account}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{other}\"");
    }

    [Fact]
    public async Task ResourceNames_RuleNamingOneConfigMap_AllowsThatOneOnly()
    {
        var ns = await cluster.NamespaceWithAccountAsync("app");
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("settings"));
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("secrets-of-others"));
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: settings-reader, namespace: {{ns}}}
            rules:
            - {apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: settings-reader, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: settings-reader}
            subjects: [{kind: ServiceAccount, name: app, namespace: {{ns}}}]
            """);
        var account = $"system:serviceaccount:{ns}:app";

        var named = await cluster.KubectlAsync("get", "configmap", "settings", "-n", ns, "--as", account);
        var other = await cluster.KubectlAsync("get", "configmap", "secrets-of-others", "-n", ns, "--as", account);
        var list = await cluster.KubectlAsync("get", "configmaps", "-n", ns, "--as", account);
        var rules = await cluster.KubectlAsync("auth", "can-i", "--list", "-n", ns, "--as", account);

        named.ExitCode.Should().Be(0, named.ToString());
        other.Stderr.Should().Contain(
            $"configmaps \"secrets-of-others\" is forbidden: User \"{account}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        list.Stderr.Should().Contain($"configmaps is forbidden: User \"{account}\" cannot list resource \"configmaps\"", "a list names no object");
        rules.ExitCode.Should().Be(0, rules.ToString());
        rules.Stdout.Should().MatchRegex(@"configmaps\s+\[\]\s+\[settings\]\s+\[get\]")
            .And.MatchRegex(@"selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]")
            .And.MatchRegex(@"\[/api/\*\]\s+\[\]\s+\[get\]");
    }

    [Fact]
    public async Task AuthCanI_SubresourcesAndAggregatedClusterRole_MatchAsRbacDoes()
    {
        var ns = await cluster.NamespaceWithAccountAsync("debugger");
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: log-reader-{{ns}}
              labels: {aggregate-to-debugger-{{ns}}: "true"}
            rules:
            - {apiGroups: [""], resources: [pods/log], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: debugger-{{ns}}}
            aggregationRule:
              clusterRoleSelectors:
              - matchLabels:
                  aggregate-to-debugger-{{ns}}: "true"
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: debugger, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: debugger-{{ns}}}
            subjects: [{kind: ServiceAccount, name: debugger, namespace: {{ns}}}]
            """);
        var account = $"system:serviceaccount:{ns}:debugger";

        var logs = await cluster.KubectlAsync("auth", "can-i", "get", "pods", "--subresource=log", "-n", ns, "--as", account);
        var pods = await cluster.KubectlAsync("auth", "can-i", "get", "pods", "-n", ns, "--as", account);
        var logsElsewhere = await cluster.KubectlAsync("auth", "can-i", "get", "pods", "--subresource=log", "-n", "default", "--as", account);

        logs.Stdout.Trim().Should().Be("yes", "the aggregated ClusterRole has the rules of the ClusterRoles its selector picks");
        pods.Stdout.Trim().Should().Be("no", "pods/log does not grant pods");
        logsElsewhere.Stdout.Trim().Should().Be("no", "a RoleBinding to a ClusterRole grants in the binding's namespace only");
    }

    [Fact]
    public async Task Binding_DeletedOrEdited_TakesEffectOnTheNextRequest()
    {
        var ns = await cluster.NamespaceWithAccountAsync("temp");
        var token = await cluster.TokenAsync(ns, "temp");
        var api = cluster.WithToken(token);
        await cluster.KubectlAsync("create", "role", "lister", "-n", ns, "--verb=list", "--resource=configmaps");
        await cluster.KubectlAsync("create", "rolebinding", "lister", "-n", ns, "--role=lister", $"--serviceaccount={ns}:temp");

        var granted = await api.GetAsync($"/api/v1/namespaces/{ns}/configmaps");
        await cluster.KubectlAsync("delete", "rolebinding", "lister", "-n", ns);
        var revoked = await api.GetAsync($"/api/v1/namespaces/{ns}/configmaps");
        await cluster.KubectlAsync("create", "rolebinding", "lister", "-n", ns, "--role=missing", $"--serviceaccount={ns}:temp");
        var dangling = await api.GetAsync($"/api/v1/namespaces/{ns}/configmaps");

        granted.Status.Should().Be(System.Net.HttpStatusCode.OK, granted.Body?.ToJsonString());
        revoked.Status.Should().Be(System.Net.HttpStatusCode.Forbidden);
        dangling.Str("message").Should().Be(
            $"configmaps is forbidden: User \"system:serviceaccount:{ns}:temp\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\": "
            + "RBAC: role.rbac.authorization.k8s.io \"missing\" not found", "RBAC's evaluation errors are the authorizer's reason");
    }

    [Fact]
    public async Task Impersonation_ByAServiceAccountWithoutTheImpersonateVerb_IsForbiddenUntilGranted()
    {
        var ns = await cluster.NamespaceWithAccountAsync("robot");
        var token = await cluster.TokenAsync(ns, "robot");
        var account = $"system:serviceaccount:{ns}:robot";

        var refused = await cluster.KubectlAsync("--token", token, "auth", "can-i", "list", "pods", "--as", $"alice-{ns}");
        await cluster.KubectlAsync("create", "clusterrole", $"impersonate-alice-{ns}", "--verb=impersonate", "--resource=users", $"--resource-name=alice-{ns}");
        await cluster.KubectlAsync("create", "clusterrolebinding", $"impersonate-alice-{ns}", $"--clusterrole=impersonate-alice-{ns}", $"--serviceaccount={ns}:robot");
        var allowed = await cluster.KubectlAsync("--token", token, "auth", "whoami", "--as", $"alice-{ns}", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}");
        var otherUser = await cluster.KubectlAsync("--token", token, "auth", "whoami", "--as", $"bob-{ns}");

        refused.Stderr.Should().Contain(
            $"users \"alice-{ns}\" is forbidden: User \"{account}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
        allowed.ExitCode.Should().Be(0, allowed.ToString());
        allowed.Stdout.Should().Be($"alice-{ns} [\"system:authenticated\"]");
        otherUser.ExitCode.Should().NotBe(0);
    }
}
