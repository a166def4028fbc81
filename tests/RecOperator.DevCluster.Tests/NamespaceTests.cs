using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// Namespaces as the real server keeps them: `default`, `kube-system` and `kube-public` cannot be deleted; every
/// namespace carries the `kubernetes.io/metadata.name` label with its name, which no client changes or removes, and is
/// created with the `kubernetes` spec finalizer, which only the finalize subresource removes; the namespace
/// controller empties a deleted namespace and removes that finalizer, leaving others to their owners.
/// </summary>
public sealed class NamespaceTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public NamespaceTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("default", "")]
    [InlineData("kube-system", "")]
    [InlineData("kube-public", "")]
    [InlineData("default", "?dryRun=All")]
    public async Task Delete_ImmortalNamespace_Returns403AndKeepsIt(string name, string query)
    {
        var result = await _api.DeleteAsync($"/api/v1/namespaces/{name}{query}");

        result.Status.Should().Be(HttpStatusCode.Forbidden, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("Forbidden");
        result.Str("message").Should().Be($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
        result.Str("details.name").Should().Be(name);
        result.Str("details.kind").Should().Be("namespaces");
        var kept = await _api.GetAsync($"/api/v1/namespaces/{name}");
        kept.Str("status.phase").Should().Be("Active");
        kept.Str("metadata.deletionTimestamp").Should().BeNull();
    }

    [Fact]
    public async Task Create_Namespace_LabelledWithItsNameAndHeldByTheKubernetesFinalizer()
    {
        var name = NewName();
        var body = JsonNode.Parse($$$"""
            {"metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/metadata.name":"other","team":"a"}},
             "spec":{"finalizers":["example.com/audit"]}}
            """)!;

        var created = await _api.PostAsync("/api/v1/namespaces", body);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        Labels(created).Should().Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name, ["team"] = "a" });
        created.Object["spec"]!["finalizers"]!.ToJsonString().Should().Be("""["example.com/audit","kubernetes"]""");
        (await _api.GetAsync("/api/v1/namespaces/default")).Object["spec"]!["finalizers"]!.ToJsonString().Should().Be("""["kubernetes"]""");
    }

    [Fact]
    public async Task Update_NamespaceNameLabelOrSpecFinalizers_KeptAsTheServerSetThem()
    {
        var name = NewName();
        (await _api.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } })).Status.Should().Be(HttpStatusCode.Created);

        var unlabelled = await _api.PatchAsync($"/api/v1/namespaces/{name}", JsonNode.Parse("""{"metadata":{"labels":{"kubernetes.io/metadata.name":null,"team":"b"}}}""")!);
        var put = unlabelled.Object.DeepClone().AsObject();
        put["metadata"]!["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "renamed" };
        put["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        var replaced = await _api.PutAsync($"/api/v1/namespaces/{name}", put);

        unlabelled.Status.Should().Be(HttpStatusCode.OK, unlabelled.Body?.ToJsonString());
        Labels(unlabelled).Should().Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name, ["team"] = "b" });
        replaced.Status.Should().Be(HttpStatusCode.OK, replaced.Body?.ToJsonString());
        Labels(replaced).Should().Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name });
        replaced.Object["spec"]!["finalizers"]!.ToJsonString().Should().Be("""["kubernetes"]""", "only the finalize subresource changes spec.finalizers");
    }

    [Fact]
    public async Task Delete_NamespaceWithAnotherSpecFinalizer_EmptiedThenHeldUntilFinalized()
    {
        var name = NewName();
        await _api.PostAsync("/api/v1/namespaces", JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"finalizers":["example.com/audit"]}}""")!);
        await _api.PostAsync($"/api/v1/namespaces/{name}/configmaps", ApiClient.ConfigMap("x"));

        await _api.DeleteAsync($"/api/v1/namespaces/{name}");
        var emptied = await Eventually.TrueAsync(async () =>
            (await _api.GetAsync($"/api/v1/namespaces/{name}")).Object["spec"]!["finalizers"]!.ToJsonString() == """["example.com/audit"]""");
        var content = await _api.GetAsync($"/api/v1/namespaces/{name}/configmaps/x");
        var refused = await _api.PostAsync($"/api/v1/namespaces/{name}/configmaps", ApiClient.ConfigMap("late"));
        var held = await _api.GetAsync($"/api/v1/namespaces/{name}");
        var finalized = held.Object.DeepClone().AsObject();
        finalized["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        var finalize = await _api.PutAsync($"/api/v1/namespaces/{name}/finalize", finalized);

        emptied.Should().BeTrue("the namespace controller removes its own `kubernetes` finalizer once the namespace is empty");
        content.Status.Should().Be(HttpStatusCode.NotFound);
        held.Str("status.phase").Should().Be("Terminating");
        refused.Status.Should().Be(HttpStatusCode.Forbidden);
        refused.Str("message").Should().Be($"configmaps \"late\" is forbidden: unable to create new content in namespace {name} because it is being terminated");
        refused.Object["details"]!["causes"]!.ToJsonString().Should().Be(
            $$$"""[{"reason":"NamespaceTerminating","message":"namespace {{{name}}} is being terminated","field":"metadata.namespace"}]""");
        finalize.Status.Should().Be(HttpStatusCode.OK, finalize.Body?.ToJsonString());
        (await _api.GetAsync($"/api/v1/namespaces/{name}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    private static IReadOnlyDictionary<string, string> Labels(ApiResponse response) => Resources.JsonTree.Labels(response.Object);

    private static string NewName() => "ns-" + Guid.NewGuid().ToString("N")[..10];
}
