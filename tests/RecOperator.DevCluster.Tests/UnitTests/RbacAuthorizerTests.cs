using RecOperator.DevCluster.Auth;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The authorizer's decision as a pure function of the request's attributes and the RBAC objects.</summary>
public sealed class RbacAuthorizerTests
{
    private static readonly UserInfo Operator = ServiceAccountUsers.User("ops", "operator");

    [Theory]
    [InlineData("get", "", "pods", "", "web-0", true)]
    [InlineData("list", "", "pods", "", "", false)]
    [InlineData("get", "", "pods", "log", "web-0", true)]
    [InlineData("get", "", "pods", "status", "web-0", false)]
    [InlineData("get", "", "services", "status", "web", true)]
    [InlineData("create", "apps", "deployments", "", "d", true)]
    [InlineData("create", "batch", "jobs", "", "j", false)]
    [InlineData("get", "", "configmaps", "", "settings", true)]
    [InlineData("get", "", "configmaps", "", "other", false)]
    [InlineData("update", "", "configmaps", "", "settings", false)]
    public void Authorize_RulesOfARole_MatchVerbsGroupsResourcesSubresourcesAndNames(string verb, string group, string resource, string subresource, string name, bool allowed)
    {
        var policy = Policy(roles: [Role("ops", "r",
            Rule([""], ["pods", "pods/log"], ["get"]),
            Rule([""], ["services/status"], ["get"]),
            Rule(["apps"], ["*"], ["*"]),
            Rule([""], ["configmaps"], ["get"]) with { ResourceNames = ["settings"] })],
            roleBindings: [RoleBinding("ops", "rb", "Role", "r", ServiceAccount("operator", null))]);

        var decision = RbacAuthorizer.Authorize(Request(verb, group, "ops", resource, subresource, name), policy);

        decision.Allowed.Should().Be(allowed);
        decision.Reason.Should().Be(allowed ? "RBAC: allowed by RoleBinding \"rb/ops\" of Role \"r\" to ServiceAccount \"operator/ops\"" : "");
    }

    [Fact]
    public void Authorize_StarSlashSubresource_MatchesThatSubresourceOfEveryResource()
    {
        var policy = Policy(clusterRoles: [ClusterRole("status-reader", Rule(["*"], ["*/status"], ["get"]))],
            clusterRoleBindings: [ClusterRoleBinding("crb", "status-reader", ServiceAccount("operator", "ops"))]);

        RbacAuthorizer.Authorize(Request("get", "apps", "", "deployments", "status", "d"), policy).Allowed.Should().BeTrue();
        RbacAuthorizer.Authorize(Request("get", "apps", "", "deployments", "scale", "d"), policy).Allowed.Should().BeFalse();
        RbacAuthorizer.Authorize(Request("get", "apps", "", "deployments", "", "d"), policy).Allowed.Should().BeFalse();
    }

    [Theory]
    [InlineData("/healthz", "get", true)]
    [InlineData("/apis/apps/v1", "get", true)]
    [InlineData("/apis", "get", true)]
    [InlineData("/logs", "get", false)]
    [InlineData("/apis", "post", false)]
    public void Authorize_NonResourceUrls_ExactOrTrailingStarPrefix(string path, string verb, bool allowed)
    {
        var policy = Policy(clusterRoles: [ClusterRole("viewer", Rule(null, null, ["get"]) with { NonResourceURLs = ["/healthz", "/apis", "/apis/*"] })],
            clusterRoleBindings: [ClusterRoleBinding("viewer", "viewer", new V1Subject { Kind = "Group", Name = UserInfo.Authenticated })]);

        RbacAuthorizer.Authorize(new RequestAttributes { User = Operator, Verb = verb, Path = path }, policy).Allowed.Should().Be(allowed);
    }

    [Fact]
    public void Authorize_BindingSubjects_UserGroupOrServiceAccountOfTheBindingsNamespace()
    {
        var policy = Policy(roles: [Role("ops", "r", Rule([""], ["pods"], ["list"]))],
            roleBindings:
            [
                RoleBinding("ops", "alice", "Role", "r", new V1Subject { Kind = "User", Name = "alice" }),
                RoleBinding("ops", "team", "Role", "r", new V1Subject { Kind = "Group", Name = "team" }),
                RoleBinding("ops", "other-account", "Role", "r", ServiceAccount("operator", "elsewhere")),
            ]);

        RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", "") with { User = new UserInfo("alice", []) }, policy).Allowed.Should().BeTrue();
        RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", "") with { User = new UserInfo("bob", ["team"]) }, policy).Allowed.Should().BeTrue();
        RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", ""), policy).Allowed.Should().BeFalse("the subject names the account of another namespace");
        RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", "") with { User = ServiceAccountUsers.User("elsewhere", "operator") }, policy).Allowed.Should().BeTrue();
    }

    [Fact]
    public void Authorize_ClusterRoleViaRoleBinding_OnlyInTheBindingsNamespace()
    {
        var policy = Policy(clusterRoles: [ClusterRole("reader", Rule([""], ["pods"], ["list"]))],
            roleBindings: [RoleBinding("ops", "rb", "ClusterRole", "reader", ServiceAccount("operator", "ops"))]);

        RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", ""), policy).Allowed.Should().BeTrue();
        RbacAuthorizer.Authorize(Request("list", "", "default", "pods", "", ""), policy).Allowed.Should().BeFalse();
        RbacAuthorizer.Authorize(Request("list", "", "", "pods", "", ""), policy).Allowed.Should().BeFalse("listing every namespace needs a ClusterRoleBinding");
    }

    [Fact]
    public void Authorize_MissingRoles_NoOpinionWithRbacsErrorsAsTheReason()
    {
        var policy = Policy(
            clusterRoleBindings: [ClusterRoleBinding("crb", "gone", ServiceAccount("operator", "ops"))],
            roleBindings: [RoleBinding("ops", "rb", "Role", "absent", ServiceAccount("operator", "ops"))]);

        var decision = RbacAuthorizer.Authorize(Request("list", "", "ops", "pods", "", ""), policy);

        decision.Should().Be(new AuthorizationDecision(false,
            "RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, role.rbac.authorization.k8s.io \"absent\" not found]"));
    }

    [Fact]
    public void Authorize_AggregatedClusterRole_HasTheRulesOfTheRolesItsSelectorPicks()
    {
        var picked = ClusterRole("picked", Rule([""], ["secrets"], ["get"])) with
        {
            Metadata = new V1ObjectMeta { Name = "picked", Labels = new Dictionary<string, string> { ["aggregate"] = "yes" } },
        };
        var aggregated = ClusterRole("aggregated", Rule([""], ["nodes"], ["delete"])) with
        {
            AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["aggregate"] = "yes" } }] },
        };
        var policy = Policy(clusterRoles: [picked, aggregated, ClusterRole("unlabelled", Rule([""], ["pods"], ["get"]))],
            clusterRoleBindings: [ClusterRoleBinding("crb", "aggregated", ServiceAccount("operator", "ops"))]);

        RbacAuthorizer.Authorize(Request("get", "", "ops", "secrets", "", "s"), policy).Allowed.Should().BeTrue();
        RbacAuthorizer.Authorize(Request("get", "", "ops", "pods", "", "p"), policy).Allowed.Should().BeFalse();
        RbacAuthorizer.Authorize(Request("delete", "", "", "nodes", "", "n"), policy).Allowed.Should().BeFalse("the aggregation controller replaces the role's own rules");
    }

    [Fact]
    public void Authorize_SystemMasters_AllowedWithoutAnyRole()
    {
        RbacAuthorizer.Authorize(Request("delete", "", "", "nodes", "", "n") with { User = UserInfo.Admin }, Policy()).Should().Be(AuthorizationDecision.AllowedWithoutReason);
    }

    [Fact]
    public void RulesFor_ServiceAccount_RulesOfItsClusterAndNamespaceBindings()
    {
        var policy = Policy(clusterRoles: [ClusterRole("viewer", Rule(null, null, ["get"]) with { NonResourceURLs = ["/version"] })],
            clusterRoleBindings: [ClusterRoleBinding("viewer", "viewer", ServiceAccount("operator", "ops"))],
            roles: [Role("ops", "r", Rule(["apps"], ["deployments"], ["list"]))],
            roleBindings: [RoleBinding("ops", "rb", "Role", "r", ServiceAccount("operator", "ops"))]);

        var rules = RbacAuthorizer.RulesFor(Operator, "ops", policy);
        var elsewhere = RbacAuthorizer.RulesFor(Operator, "default", policy);

        rules.ResourceRules.Should().ContainSingle().Which.Resources.Should().Equal("deployments");
        rules.NonResourceRules.Should().ContainSingle().Which.NonResourceURLs.Should().Equal("/version");
        elsewhere.ResourceRules.Should().BeEmpty();
    }

    private static RequestAttributes Request(string verb, string group, string ns, string resource, string subresource, string name) => new()
    {
        User = Operator, Verb = verb, IsResourceRequest = true, ApiGroup = group, Namespace = ns, Resource = resource, Subresource = subresource, Name = name,
    };

    private static RbacPolicy Policy(V1ClusterRole[]? clusterRoles = null, V1ClusterRoleBinding[]? clusterRoleBindings = null, V1Role[]? roles = null, V1RoleBinding[]? roleBindings = null) =>
        RbacPolicy.Build(clusterRoles ?? [], clusterRoleBindings ?? [], roles ?? [], roleBindings ?? []);

    private static V1PolicyRule Rule(string[]? groups, string[]? resources, string[] verbs) => new() { ApiGroups = groups, Resources = resources, Verbs = verbs };

    private static V1Role Role(string ns, string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name, Namespace = ns }, Rules = rules };

    private static V1ClusterRole ClusterRole(string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name }, Rules = rules };

    private static V1Subject ServiceAccount(string name, string? ns) => new() { Kind = "ServiceAccount", Name = name, Namespace = ns };

    private static V1RoleBinding RoleBinding(string ns, string name, string kind, string role, V1Subject subject) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Namespace = ns },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = kind, Name = role },
        Subjects = [subject],
    };

    private static V1ClusterRoleBinding ClusterRoleBinding(string name, string role, V1Subject subject) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        Subjects = [subject],
    };
}
