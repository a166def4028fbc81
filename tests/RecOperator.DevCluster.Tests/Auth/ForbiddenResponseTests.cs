using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// What a ServiceAccount's token may do with no role bound, on the wire: discovery, version and the self-reviews (the
/// default roles every authenticated user has); everything else 403 with kube-apiserver's exact Status, for a namespaced
/// list, a cluster-scoped list, a named subresource and a non-resource path; and a server-side apply that would create
/// its object needs create as well as patch.
/// </summary>
public sealed class ForbiddenResponseTests(SecureClusterFixture cluster) : IClassFixture<SecureClusterFixture>
{
    [Fact]
    public async Task NoRoleBound_DiscoveryVersionAndSelfReviews_AreAllowed()
    {
        var ns = await cluster.NamespaceWithAccountAsync("plain");
        var api = cluster.WithToken(await cluster.TokenAsync(ns, "plain"));

        var paths = new[] { "/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/openapi/v2" };
        var answers = new List<(string, HttpStatusCode)>();
        foreach (var path in paths)
        {
            answers.Add((path, (await api.GetAsync(path)).Status));
        }
        var whoami = await api.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" });

        answers.Should().OnlyContain(a => a.Item2 == HttpStatusCode.OK);
        whoami.Status.Should().Be(HttpStatusCode.Created);
        whoami.Str("status.userInfo.username").Should().Be($"system:serviceaccount:{ns}:plain");
        whoami.Object["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>())
            .Should().Equal("system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated");
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/{ns}/configmaps", "configmaps is forbidden: User \"{user}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"", "configmaps", null)]
    [InlineData("GET", "/apis/apps/v1/namespaces/{ns}/deployments?watch=true", "deployments.apps is forbidden: User \"{user}\" cannot watch resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"", "deployments", "apps")]
    [InlineData("GET", "/api/v1/nodes", "nodes is forbidden: User \"{user}\" cannot list resource \"nodes\" at the cluster scope", "nodes", null)]
    [InlineData("GET", "/api/v1/namespaces/{ns}/pods/web-0/log", "pods \"web-0\" is forbidden: User \"{user}\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"{ns}\"", "pods", null)]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/{ns}/deployments", "deployments.apps is forbidden: User \"{user}\" cannot deletecollection resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"", "deployments", "apps")]
    [InlineData("GET", "/api/v1/namespaces/{ns}", "namespaces \"{ns}\" is forbidden: User \"{user}\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"{ns}\"", "namespaces", null)]
    [InlineData("GET", "/metrics", "forbidden: User \"{user}\" cannot get path \"/metrics\"", null, null)]
    public async Task NoRoleBound_Request_403WithKubeApiserversStatus(string method, string path, string message, string? kind, string? group)
    {
        var ns = await cluster.NamespaceWithAccountAsync("plain");
        var api = cluster.WithToken(await cluster.TokenAsync(ns, "plain"));
        var user = $"system:serviceaccount:{ns}:plain";
        // The cluster-scope wording names the group too; kept out of the attribute above only for length.
        message = message.Replace("at the cluster scope", "in API group \"\" at the cluster scope", StringComparison.Ordinal);

        var response = await api.SendAsync(new HttpMethod(method), path.Replace("{ns}", ns, StringComparison.Ordinal), null, null);

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.Str("kind").Should().Be("Status");
        response.Str("reason").Should().Be("Forbidden");
        response.Num("code").Should().Be(403);
        response.Str("message").Should().Be(message.Replace("{ns}", ns, StringComparison.Ordinal).Replace("{user}", user, StringComparison.Ordinal));
        response.Str("details.kind").Should().Be(kind);
        response.Str("details.group").Should().Be(group);
    }

    [Fact]
    public async Task ServerSideApply_PatchWithoutCreate_CreatingIsForbiddenUpdatingIsNot()
    {
        var ns = await cluster.NamespaceWithAccountAsync("applier");
        var api = cluster.WithToken(await cluster.TokenAsync(ns, "applier"));
        await cluster.KubectlAsync("create", "role", "patcher", "-n", ns, "--verb=patch", "--resource=configmaps");
        await cluster.KubectlAsync("create", "rolebinding", "patcher", "-n", ns, "--role=patcher", $"--serviceaccount={ns}:applier");
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("existing"));
        var path = $"/api/v1/namespaces/{ns}/configmaps/{{0}}?fieldManager=applier";

        var create = await api.PatchAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "fresh"), ApiClient.ConfigMap("fresh"), "application/apply-patch+yaml");
        var update = await api.PatchAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "existing") + "&force=true", ApiClient.ConfigMap("existing"), "application/apply-patch+yaml");
        await cluster.KubectlAsync("create", "role", "creator", "-n", ns, "--verb=create", "--resource=configmaps");
        await cluster.KubectlAsync("create", "rolebinding", "creator", "-n", ns, "--role=creator", $"--serviceaccount={ns}:applier");
        var created = await api.PatchAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "fresh"), ApiClient.ConfigMap("fresh"), "application/apply-patch+yaml");

        create.Status.Should().Be(HttpStatusCode.Forbidden);
        create.Str("message").Should().Be("configmaps \"fresh\" is forbidden: ", "the patch handler's create check carries only the authorizer's reason, and RBAC gives none");
        update.Status.Should().Be(HttpStatusCode.OK, update.Body?.ToJsonString());
        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
    }

    [Fact]
    public async Task UnknownOrForgedToken_401()
    {
        var ns = await cluster.NamespaceWithAccountAsync("plain");
        var token = await cluster.TokenAsync(ns, "plain");
        var parts = token.Split('.');

        var garbage = await cluster.WithToken("not-a-token").GetAsync("/api");
        var tampered = await cluster.WithToken(string.Join('.', parts[0], Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"sub\":\"x\"}")).TrimEnd('='), parts[2])).GetAsync("/api");
        var genuine = await cluster.WithToken(token).GetAsync("/api");

        garbage.Status.Should().Be(HttpStatusCode.Unauthorized);
        tampered.Status.Should().Be(HttpStatusCode.Unauthorized, "the signature covers the claims");
        genuine.Status.Should().Be(HttpStatusCode.OK);
    }
}
