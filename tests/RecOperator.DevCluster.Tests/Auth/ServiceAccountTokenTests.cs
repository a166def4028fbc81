using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests.Auth;

/// <summary>
/// Service-account tokens from the TokenRequest subresource: `kubectl create token` gets one that authenticates as the
/// account's user (`kubectl auth whoami`); it stops authenticating when the account is deleted (also once re-created)
/// or its bound pod is gone, and when it was issued for another audience; the request's own rules answer 422/400/409
/// as kube-apiserver does.
/// </summary>
public sealed class ServiceAccountTokenTests(SecureClusterFixture cluster) : IClassFixture<SecureClusterFixture>
{
    [Fact]
    public async Task KubectlCreateToken_WhoamiWithIt_IsTheServiceAccountsUserAndGroups()
    {
        var ns = await cluster.NamespaceWithAccountAsync("builder");

        var created = await cluster.KubectlAsync("create", "token", "builder", "-n", ns, "--duration=15m");
        var whoami = await cluster.KubectlAsync("--token", created.Stdout.Trim(), "auth", "whoami", "-o", "json");

        created.ExitCode.Should().Be(0, created.ToString());
        whoami.ExitCode.Should().Be(0, whoami.ToString());
        var user = JsonNode.Parse(whoami.Stdout)!["status"]!["userInfo"]!;
        user["username"]!.GetValue<string>().Should().Be($"system:serviceaccount:{ns}:builder");
        user["groups"]!.AsArray().Select(g => g!.GetValue<string>()).Should().Equal("system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated");
    }

    [Fact]
    public async Task Token_ServiceAccountDeletedThenRecreated_401()
    {
        var ns = await cluster.NamespaceWithAccountAsync("short-lived");
        var api = cluster.WithToken(await cluster.TokenAsync(ns, "short-lived"));

        var before = await api.GetAsync("/version");
        await cluster.Admin.DeleteAsync($"/api/v1/namespaces/{ns}/serviceaccounts/short-lived");
        var deleted = await api.GetAsync("/version");
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "short-lived" } });
        var recreated = await api.GetAsync("/version");

        before.Status.Should().Be(HttpStatusCode.OK);
        deleted.Status.Should().Be(HttpStatusCode.Unauthorized);
        recreated.Status.Should().Be(HttpStatusCode.Unauthorized, "a re-created account has another uid than the token names");
    }

    [Fact]
    public async Task Token_BoundToAPodThatIsDeleted_401()
    {
        var ns = await cluster.NamespaceWithAccountAsync("runner");
        var pod = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("job", "runner"));
        var api = cluster.WithToken(await cluster.TokenAsync(ns, "runner", new JsonObject
        {
            ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = "job", ["uid"] = pod.Str("metadata.uid") },
        }));

        var whileRunning = await api.GetAsync("/version");
        await cluster.Admin.DeleteAsync($"/api/v1/namespaces/{ns}/pods/job");
        var afterDeletion = await api.GetAsync("/version");

        whileRunning.Status.Should().Be(HttpStatusCode.OK);
        afterDeletion.Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KubectlCreateToken_ForAnotherAudience_NotAcceptedByTheApiServer()
    {
        var ns = await cluster.NamespaceWithAccountAsync("vault-client");

        var created = await cluster.KubectlAsync("create", "token", "vault-client", "-n", ns, "--audience=vault");
        var used = await cluster.WithToken(created.Stdout.Trim()).GetAsync("/version");

        created.ExitCode.Should().Be(0, created.ToString());
        used.Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TokenRequest_Answer_DefaultsAudienceAndAnHour()
    {
        var ns = await cluster.NamespaceWithAccountAsync("default-ask");

        var issued = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/default-ask/token", new JsonObject { ["spec"] = new JsonObject() });

        issued.Status.Should().Be(HttpStatusCode.Created);
        (issued.Str("kind"), issued.Str("apiVersion"), issued.Str("metadata.name"), issued.Str("metadata.namespace"))
            .Should().Be(("TokenRequest", "authentication.k8s.io/v1", "default-ask", ns));
        issued.Object["spec"]!["audiences"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("https://kubernetes.default.svc.cluster.local");
        issued.Num("spec.expirationSeconds").Should().Be(3600);
        DateTimeOffset.Parse(issued.Str("status.expirationTimestamp")!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("""{"spec":{"expirationSeconds":60}}""", 422,
        "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"other-pod"}}}""", 400,
        "cannot bind token for serviceaccount \"asker\" to pod running with different serviceaccount name.")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"own-pod","uid":"0000"}}}""", 409,
        "Operation cannot be fulfilled on Pod \"own-pod\": the UID in the bound object reference (0000) does not match the UID in record. The object might have been deleted and then recreated")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"ConfigMap","apiVersion":"v1","name":"x"}}}""", 400,
        "cannot bind token to object of type /v1, Kind=ConfigMap")]
    [InlineData("""{"spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"absent"}}}""", 404, "pods \"absent\" not found")]
    public async Task TokenRequest_BadRequest_RefusedAsKubeApiserverDoes(string body, int code, string message)
    {
        var ns = await cluster.NamespaceWithAccountAsync("asker");
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "someone-else" } });
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("other-pod", "someone-else"));
        await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("own-pod", "asker"));

        var answer = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/asker/token", JsonNode.Parse(body)!);
        var missingAccount = await cluster.Admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/nobody/token", new JsonObject());

        ((int)answer.Status, answer.Str("message")).Should().Be((code, message));
        ((int)missingAccount.Status, missingAccount.Str("message")).Should().Be((404, "serviceaccounts \"nobody\" not found"));
    }

    private static JsonObject Pod(string name, string account) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["serviceAccountName"] = account,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "registry.local/job:1" }),
        },
    };
}
