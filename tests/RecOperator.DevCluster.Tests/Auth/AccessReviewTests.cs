using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube;
using RecOperator.Kube.Client;
using RecOperator.Kube.Config;
using RecOperator.Kube.Models;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// SubjectAccessReview, LocalSubjectAccessReview and TokenReview on the default (HTTPS, RBAC) control plane: created with
/// the real kubectl and the project's Kube client, answered from the RBAC objects and the token authenticator,
/// validated with kube-apiserver's field errors, and themselves subject to RBAC.
/// </summary>
public sealed class AccessReviewTests(SecureClusterFixture cluster) : IClassFixture<SecureClusterFixture>
{
    private static readonly ResourceDescriptor SubjectAccessReviews = new("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", false);
    private static readonly ResourceDescriptor TokenReviews = new("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", false);

    [Fact]
    public async Task KubectlCreateSubjectAccessReview_BoundAccount_AllowedWithTheBindingAsReason()
    {
        var ns = await cluster.NamespaceWithAccountAsync("reader");
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: {{ns}}}
            rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pod-reader, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
            subjects: [{kind: ServiceAccount, name: reader}]
            """);

        var allowed = await cluster.KubectlWithInputAsync(Review($"system:serviceaccount:{ns}:reader", ns, "list"), "create", "-f", "-", "-o", "json");
        var notAllowed = await cluster.KubectlWithInputAsync(Review($"system:serviceaccount:{ns}:reader", ns, "delete"), "create", "-f", "-", "-o", "json");

        allowed.ExitCode.Should().Be(0, allowed.ToString());
        var status = JsonNode.Parse(allowed.Stdout)!["status"]!;
        status["allowed"]!.GetValue<bool>().Should().BeTrue();
        status["reason"]!.GetValue<string>().Should().Be($"RBAC: allowed by RoleBinding \"pod-reader/{ns}\" of Role \"pod-reader\" to ServiceAccount \"reader/{ns}\"");
        notAllowed.ExitCode.Should().Be(0, notAllowed.ToString());
        JsonNode.Parse(notAllowed.Stdout)!["status"]!.ToJsonString().Should().Be("""{"allowed":false,"denied":false}""");
    }

    [Fact]
    public async Task SubjectAccessReview_GroupOnly_JudgedByTheGroupsAsGiven()
    {
        using var client = AdminClient();

        var masters = await client.For<V1SubjectAccessReview>(SubjectAccessReviews).CreateAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { Groups = ["system:masters"], NonResourceAttributes = new V1NonResourceAttributes { Path = "/metrics", Verb = "get" } },
        });
        var nobody = await client.For<V1SubjectAccessReview>(SubjectAccessReviews).CreateAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = "alice", NonResourceAttributes = new V1NonResourceAttributes { Path = "/version", Verb = "get" } },
        });

        masters.Status!.Allowed.Should().BeTrue();
        nobody.Status!.Allowed.Should().BeFalse("system:authenticated, which may read /version, is not added to the groups a review names");
    }

    [Theory]
    [InlineData("{resourceAttributes: {verb: get, resource: pods}}", "spec.user: Invalid value: \"\": at least one of user or group must be specified")]
    [InlineData("{user: alice}", "spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified")]
    [InlineData("{user: alice, resourceAttributes: {verb: get, resource: pods}, nonResourceAttributes: {verb: get, path: /x}}",
        "spec.nonResourceAttributes: Invalid value: {\"path\":\"/x\",\"verb\":\"get\"}: cannot be specified in combination with resourceAttributes")]
    public async Task KubectlCreateSubjectAccessReview_InvalidSpec_422NamingTheField(string spec, string error)
    {
        var result = await cluster.KubectlWithInputAsync($"apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec: {spec}\n", "create", "-f", "-");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("The SubjectAccessReview \"\" is invalid: ").And.Contain(error);
    }

    [Fact]
    public async Task KubectlCreateLocalSubjectAccessReview_InItsNamespace_AnsweredThere()
    {
        var ns = await cluster.NamespaceWithAccountAsync("worker");
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: worker-admin, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: worker}]
            """);
        string Local(string attributesNamespace) => $$"""
            apiVersion: authorization.k8s.io/v1
            kind: LocalSubjectAccessReview
            spec:
              user: system:serviceaccount:{{ns}}:worker
              resourceAttributes: {namespace: {{attributesNamespace}}, verb: delete, group: apps, resource: deployments}
            """;

        var here = await cluster.KubectlWithInputAsync(Local(ns), "create", "-n", ns, "-f", "-", "-o", "json");
        var elsewhere = await cluster.KubectlWithInputAsync(Local("default"), "create", "-n", ns, "-f", "-", "-o", "json");

        here.ExitCode.Should().Be(0, here.ToString());
        var answer = JsonNode.Parse(here.Stdout)!;
        answer["metadata"]!["namespace"]!.GetValue<string>().Should().Be(ns);
        answer["status"]!["allowed"]!.GetValue<bool>().Should().BeTrue();
        elsewhere.ExitCode.Should().Be(1);
        elsewhere.Stderr.Should().Contain("The LocalSubjectAccessReview \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"default\": must match metadata.namespace");
    }

    [Fact]
    public async Task TokenReview_ServiceAccountToken_AuthenticatedAsTheAccountForTheApiAudience()
    {
        var ns = await cluster.NamespaceWithAccountAsync("robot");
        var token = await cluster.TokenAsync(ns, "robot");
        var account = await cluster.Admin.GetAsync($"/api/v1/namespaces/{ns}/serviceaccounts/robot");
        using var client = AdminClient();

        var review = await client.For<V1TokenReview>(TokenReviews).CreateAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } });

        review.Status!.Authenticated.Should().BeTrue(review.Status.Error);
        review.Status.User!.Username.Should().Be($"system:serviceaccount:{ns}:robot");
        review.Status.User.Uid.Should().Be(account.Str("metadata.uid"));
        review.Status.User.Groups.Should().Equal("system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated");
        review.Status.Audiences.Should().Equal("https://kubernetes.default.svc.cluster.local");
        review.Status.Error.Should().BeNull();
    }

    [Fact]
    public async Task TokenReview_UnknownTokenOrOtherAudience_NotAuthenticatedWithTheError()
    {
        var ns = await cluster.NamespaceWithAccountAsync("robot");
        var token = await cluster.TokenAsync(ns, "robot");
        using var client = AdminClient();
        var reviews = client.For<V1TokenReview>(TokenReviews);

        var unknown = await reviews.CreateAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "not-a-token" } });
        var otherAudience = await reviews.CreateAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = ["vault"] } });
        var admin = await reviews.CreateAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = cluster.Server.Token! } });

        unknown.Status!.Authenticated.Should().NotBe(true);
        unknown.Status.Error.Should().Be("invalid bearer token");
        otherAudience.Status!.Authenticated.Should().NotBe(true);
        otherAudience.Status.Error.Should().Be("token audiences [\"https://kubernetes.default.svc.cluster.local\"] is invalid for the target audiences [\"vault\"]");
        admin.Status!.Authenticated.Should().BeTrue();
        admin.Status.User!.Groups.Should().Contain("system:masters");
    }

    [Fact]
    public async Task TokenReview_NoToken_400()
    {
        var answer = await cluster.Admin.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenReview", ["spec"] = new JsonObject() });

        answer.Status.Should().Be(HttpStatusCode.BadRequest, answer.Body?.ToJsonString());
        answer.Str("message").Should().Be("token is required for TokenReview in authentication");
    }

    [Fact]
    public async Task Reviews_CallerWithoutCreate_ForbiddenUntilGranted()
    {
        var ns = await cluster.NamespaceWithAccountAsync("webhook");
        var caller = cluster.WithToken(await cluster.TokenAsync(ns, "webhook"));
        var sar = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject { ["user"] = "alice", ["nonResourceAttributes"] = new JsonObject { ["path"] = "/healthz", ["verb"] = "get" } },
        };

        var refused = await caller.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", sar);
        await cluster.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: webhook-{{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:auth-delegator}
            subjects: [{kind: ServiceAccount, name: webhook, namespace: {{ns}}}]
            """);
        var granted = await caller.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", sar);

        refused.Status.Should().Be(HttpStatusCode.Forbidden);
        refused.Str("message").Should().Be(
            $"subjectaccessreviews.authorization.k8s.io is forbidden: User \"system:serviceaccount:{ns}:webhook\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope");
        granted.Status.Should().Be(HttpStatusCode.Created, granted.Body?.ToJsonString());
        granted.Str("kind").Should().Be("SubjectAccessReview");
    }

    [Fact]
    public async Task KubectlApiResources_ListsTheReviewsAsCreateOnly()
    {
        var result = await cluster.KubectlAsync("api-resources", "--api-group", "authorization.k8s.io", "-o", "wide");
        var tokens = await cluster.KubectlAsync("api-resources", "--api-group", "authentication.k8s.io", "-o", "wide");

        result.ExitCode.Should().Be(0, result.ToString());
        Row(result.Stdout, "localsubjectaccessreviews").Should().Equal("localsubjectaccessreviews", "authorization.k8s.io/v1", "true", "LocalSubjectAccessReview", "create");
        Row(result.Stdout, "subjectaccessreviews").Should().Equal("subjectaccessreviews", "authorization.k8s.io/v1", "false", "SubjectAccessReview", "create");
        Row(tokens.Stdout, "tokenreviews").Should().Equal("tokenreviews", "authentication.k8s.io/v1", "false", "TokenReview", "create");
    }

    private static string[] Row(string table, string name) =>
        table.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(c => c.Length > 0 && c[0] == name)?.Take(5).ToArray() ?? [];

    private static string Review(string user, string ns, string verb) => $"""
        apiVersion: authorization.k8s.io/v1
        kind: SubjectAccessReview
        spec:
          user: {user}
          groups: [system:serviceaccounts, system:authenticated]
          resourceAttributes: {"{"}namespace: {ns}, verb: {verb}, resource: pods{"}"}
        """;

    private KubeApiClient AdminClient() => new(KubeConfigLoader.Load(cluster.Server.KubeconfigPath!));
}
