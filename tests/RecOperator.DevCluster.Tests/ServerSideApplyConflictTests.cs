using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// A server-side apply that would take another manager's fields is refused in kube-apiserver's words: the manager as
/// its managedFields identity prints (an Update writer with its version, a subresource writer with the subresource),
/// the fields as structured-merge-diff prints paths, one conflict on one line and several grouped by manager.
/// </summary>
public sealed class ServerSideApplyConflictTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture;
    private readonly ApiClient _api;

    public ServerSideApplyConflictTests(ClusterFixture fixture) => (_fixture, _api) = (fixture, fixture.Api);

    [Fact]
    public async Task Apply_ReplicasSetByClientSideApply_OneConflictOnOneLineNamingTheManagerAndItsVersion()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments?fieldManager=kubectl-client-side-apply", Deployment(replicas: 2, image: "nginx:1"));
        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());

        var conflict = await ApplyAsync(ns, "ctrl", Deployment(replicas: 3, image: "nginx:1"));

        conflict.Status.Should().Be(HttpStatusCode.Conflict, conflict.Body?.ToJsonString());
        conflict.Str("reason").Should().Be("Conflict");
        conflict.Str("message").Should().Be("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
        var details = conflict.Object["details"]!.AsObject();
        details.Select(p => p.Key).Should().Equal(["causes"], "the apply conflict's details name no object, as the real ones");
        var cause = details["causes"]!.AsArray().Single()!;
        (cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>(), cause["field"]!.GetValue<string>())
            .Should().Be(("FieldManagerConflict", "conflict with \"kubectl-client-side-apply\" using apps/v1", ".spec.replicas"));
    }

    [Fact]
    public async Task Apply_FieldsOfTwoManagers_ListedUnderEachManagerSortedWithListElementsByKey()
    {
        var ns = await _api.NewNamespaceAsync();
        (await ApplyAsync(ns, "alice", Deployment(replicas: 2, image: "nginx:1"))).Status.Should().Be(HttpStatusCode.Created);
        var patched = await _api.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web?fieldManager=bob",
            JsonNode.Parse("""{"spec":{"minReadySeconds":5,"template":{"spec":{"containers":[{"name":"main","image":"nginx:2"}]}}}}""")!,
            "application/strategic-merge-patch+json");
        patched.Status.Should().Be(HttpStatusCode.OK, patched.Body?.ToJsonString());
        var config = Deployment(replicas: 4, image: "nginx:3");
        config["spec"]!["minReadySeconds"] = 7;

        var conflict = await ApplyAsync(ns, "carol", config);

        conflict.Status.Should().Be(HttpStatusCode.Conflict, conflict.Body?.ToJsonString());
        conflict.Str("message").Should().Be("""
            Apply failed with 3 conflicts: conflicts with "alice":
            - .spec.replicas
            conflicts with "bob" using apps/v1:
            - .spec.minReadySeconds
            - .spec.template.spec.containers[name="main"].image
            """.ReplaceLineEndings("\n"));
        conflict.Object["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>())
            .Should().Equal(".spec.replicas", ".spec.minReadySeconds", ".spec.template.spec.containers[name=\"main\"].image");
    }

    [Fact]
    public async Task KubectlApplyServerSide_AfterKubectlScale_PrintsTheConflictWithTheScaleSubresource()
    {
        var ns = await _api.NewNamespaceAsync();
        var first = await _fixture.RunKubectlAsync(["apply", "--server-side", "-n", ns, "-f", Kubectl.Asset("deployment.yaml")]);
        first.ExitCode.Should().Be(0, first.ToString());
        var scaled = await _fixture.RunKubectlAsync(["scale", "deployment/web", "-n", ns, "--replicas=5"]);
        scaled.ExitCode.Should().Be(0, scaled.ToString());

        var conflict = await _fixture.RunKubectlAsync(["apply", "--server-side", "-n", ns, "-f", Kubectl.Asset("deployment.yaml")]);

        conflict.ExitCode.Should().NotBe(0);
        conflict.Stderr.Should().Contain("error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas");
    }

    private Task<ApiResponse> ApplyAsync(string ns, string manager, JsonObject config) =>
        _api.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web?fieldManager={manager}", config, "application/apply-patch+yaml");

    private static JsonObject Deployment(int replicas, string image) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"IMAGE"}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("IMAGE", image, StringComparison.Ordinal))!.AsObject();
}
