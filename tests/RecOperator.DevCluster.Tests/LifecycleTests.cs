using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>Finalizers, deletionTimestamp, garbage collection with each propagation policy, namespace deletion.</summary>
public sealed class LifecycleTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public LifecycleTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Delete_ObjectKeptWithOrphanDependentsFalse_Answers202AndGoneAtOnceAnswers200()
    {
        var ns = await _api.NewNamespaceAsync();
        var kept = Widgets.New("kept");
        kept["metadata"]!["finalizers"] = new JsonArray("test.recoperator.io/cleanup");
        await _api.PostAsync(Widgets.Collection(ns), kept);
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("plain"));

        var keptAnswer = await _api.DeleteAsync(Widgets.Item(ns, "kept"), JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","orphanDependents":false}"""));
        var plainAnswer = await _api.DeleteAsync(Widgets.Item(ns, "plain"), JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","orphanDependents":false}"""));
        await _api.PatchAsync(Widgets.Item(ns, "kept"), JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        keptAnswer.Status.Should().Be(HttpStatusCode.Accepted, "the one case kube-apiserver still answers 202: not deleted at once, orphanDependents=false");
        keptAnswer.Str("metadata.deletionTimestamp").Should().NotBeNull();
        plainAnswer.Status.Should().Be(HttpStatusCode.OK, "deleted at once");
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_IsMarkedUntilFinalizerRemoved()
    {
        var ns = await _api.NewNamespaceAsync();
        var widget = Widgets.New("fin");
        widget["metadata"]!["finalizers"] = new JsonArray("test.recoperator.io/cleanup");
        await _api.PostAsync(Widgets.Collection(ns), widget);

        var deleted = await _api.DeleteAsync(Widgets.Item(ns, "fin"));
        var marked = await _api.GetAsync(Widgets.Item(ns, "fin"));
        await _api.PatchAsync(Widgets.Item(ns, "fin"), JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        deleted.Status.Should().Be(HttpStatusCode.OK, "kube-apiserver answers 200 with the marked object; 202 is kept for orphanDependents=false");
        marked.Str("metadata.deletionTimestamp").Should().NotBeNull();
        (await _api.GetAsync(Widgets.Item(ns, "fin"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_OwnerInBackground_CollectsDependents()
    {
        var (ns, ownerUid) = await OwnerWithDependentAsync();

        (await _api.DeleteAsync(Widgets.Item(ns, "owner"), new JsonObject { ["propagationPolicy"] = "Background" })).Status.Should().Be(HttpStatusCode.OK);

        (await Eventually.TrueAsync(async () => (await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/dependent")).Status == HttpStatusCode.NotFound))
            .Should().BeTrue($"the dependent of {ownerUid} is collected");
    }

    [Fact]
    public async Task Delete_OwnerInForeground_OwnerStaysUntilDependentsAreGone()
    {
        var (ns, _) = await OwnerWithDependentAsync(dependentFinalizer: "test/hold");

        var deleted = await _api.DeleteAsync(Widgets.Item(ns, "owner"), new JsonObject { ["propagationPolicy"] = "Foreground" });
        var dependentMarked = await Eventually.TrueAsync(async () =>
            (await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/dependent")).Str("metadata.deletionTimestamp") is not null);
        var ownerWhileBlocked = await _api.GetAsync(Widgets.Item(ns, "owner"));
        await _api.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/dependent", JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        deleted.Status.Should().Be(HttpStatusCode.OK);
        dependentMarked.Should().BeTrue();
        ownerWhileBlocked.Status.Should().Be(HttpStatusCode.OK);
        ((JsonArray)ownerWhileBlocked.Object["metadata"]!["finalizers"]!).Select(f => f!.GetValue<string>()).Should().Contain("foregroundDeletion");
        (await Eventually.TrueAsync(async () => (await _api.GetAsync(Widgets.Item(ns, "owner"))).Status == HttpStatusCode.NotFound)).Should().BeTrue();
    }

    [Fact]
    public async Task Delete_DeploymentChainInForeground_DeploymentAndReplicaSetStayUntilPodsAreGone()
    {
        var ns = await _api.NewNamespaceAsync();
        var deployment = await CreateOwnedAsync(ns, "deployments", "web", owner: null);
        var replicaSet = await CreateOwnedAsync(ns, "replicasets", "web-1", owner: deployment);
        var pod = BuiltInSamples.Sample("pods", "web-1-a");
        pod["metadata"]!["ownerReferences"] = new JsonArray(OwnerReference(replicaSet, blockOwnerDeletion: true));
        pod["metadata"]!["finalizers"] = new JsonArray("test/hold");
        (await _api.PostAsync($"/api/v1/namespaces/{ns}/pods", pod)).Status.Should().Be(HttpStatusCode.Created);

        var deleted = await _api.DeleteAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web", new JsonObject { ["propagationPolicy"] = "Foreground" });
        var podMarked = await Eventually.TrueAsync(async () =>
            (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods/web-1-a")).Str("metadata.deletionTimestamp") is not null);
        // A few collector passes (100 ms each) would have let the owners go by now if they were not held by the pod.
        await Task.Delay(500);
        var deploymentWhileBlocked = await _api.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web");
        var replicaSetWhileBlocked = await _api.GetAsync($"/apis/apps/v1/namespaces/{ns}/replicasets/web-1");
        await _api.PatchAsync($"/api/v1/namespaces/{ns}/pods/web-1-a", JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        deleted.Status.Should().Be(HttpStatusCode.OK);
        podMarked.Should().BeTrue("the collector deletes the grandchild of a foreground-deleted owner");
        deploymentWhileBlocked.Status.Should().Be(HttpStatusCode.OK, "a foreground-deleted owner stays until its dependents' dependents are gone");
        deploymentWhileBlocked.Str("metadata.deletionTimestamp").Should().NotBeNull();
        Finalizers(deploymentWhileBlocked).Should().Contain("foregroundDeletion");
        replicaSetWhileBlocked.Status.Should().Be(HttpStatusCode.OK, "a dependent with dependents of its own is deleted in the foreground too");
        replicaSetWhileBlocked.Str("metadata.deletionTimestamp").Should().NotBeNull();
        Finalizers(replicaSetWhileBlocked).Should().Contain("foregroundDeletion");
        (await Eventually.TrueAsync(async () => (await _api.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web")).Status == HttpStatusCode.NotFound))
            .Should().BeTrue("once the pod is gone the replica set and then the deployment go");
        (await _api.GetAsync($"/apis/apps/v1/namespaces/{ns}/replicasets/web-1")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_OwnerInForeground_DoesNotWaitForDependentWithoutBlockOwnerDeletion()
    {
        var ns = await _api.NewNamespaceAsync();
        var owner = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("owner"));
        var dependent = ApiClient.ConfigMap("loose");
        dependent["metadata"]!["ownerReferences"] = new JsonArray(OwnerReference(owner, blockOwnerDeletion: false));
        dependent["metadata"]!["finalizers"] = new JsonArray("test/hold");
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", dependent);

        await _api.DeleteAsync(Widgets.Item(ns, "owner"), new JsonObject { ["propagationPolicy"] = "Foreground" });
        var ownerGone = await Eventually.TrueAsync(async () => (await _api.GetAsync(Widgets.Item(ns, "owner"))).Status == HttpStatusCode.NotFound);
        var dependentLeft = await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/loose");
        await _api.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/loose", JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        ownerGone.Should().BeTrue("only dependents with blockOwnerDeletion=true hold a foreground deletion");
        dependentLeft.Str("metadata.deletionTimestamp").Should().NotBeNull("the dependent is still collected");
    }

    [Fact]
    public async Task Delete_OwnerWithOrphan_KeepsDependentWithoutOwnerReference()
    {
        var (ns, _) = await OwnerWithDependentAsync();

        await _api.DeleteAsync(Widgets.Item(ns, "owner"), new JsonObject { ["propagationPolicy"] = "Orphan" });

        (await Eventually.TrueAsync(async () => (await _api.GetAsync(Widgets.Item(ns, "owner"))).Status == HttpStatusCode.NotFound)).Should().BeTrue();
        var dependent = await _api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/dependent");
        dependent.Status.Should().Be(HttpStatusCode.OK);
        (dependent.Object["metadata"]!["ownerReferences"] as JsonArray ?? []).Should().BeEmpty();
    }

    [Fact]
    public async Task Delete_Namespace_RemovesItsContentsThenItself()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("x"));
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("y"));

        var deleted = await _api.DeleteAsync($"/api/v1/namespaces/{ns}");

        deleted.Str("status.phase").Should().Be("Terminating");
        (await Eventually.TrueAsync(async () => (await _api.GetAsync($"/api/v1/namespaces/{ns}")).Status == HttpStatusCode.NotFound)).Should().BeTrue();
        (await _api.GetAsync($"/apis/test.recoperator.io/v1/widgets?fieldSelector=metadata.namespace%3D{ns}")).Object["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Delete_WithStaleUidPrecondition_Returns409()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("p"));

        var result = await _api.DeleteAsync(Widgets.Item(ns, "p"), new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = "not-the-uid" } });

        result.Status.Should().Be(HttpStatusCode.Conflict);
        (await _api.GetAsync(Widgets.Item(ns, "p"))).Status.Should().Be(HttpStatusCode.OK);
    }

    private async Task<ApiResponse> CreateOwnedAsync(string ns, string plural, string name, ApiResponse? owner)
    {
        var obj = BuiltInSamples.Sample("deployments", name);
        obj["kind"] = plural == "deployments" ? "Deployment" : "ReplicaSet";
        if (owner is not null)
        {
            obj["metadata"]!["ownerReferences"] = new JsonArray(OwnerReference(owner, blockOwnerDeletion: true));
        }
        var created = await _api.PostAsync(BuiltInSamples.Collection(plural, ns), obj);
        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        return created;
    }

    private static JsonObject OwnerReference(ApiResponse owner, bool blockOwnerDeletion) => new()
    {
        ["apiVersion"] = owner.Str("apiVersion"), ["kind"] = owner.Str("kind"), ["name"] = owner.Str("metadata.name"), ["uid"] = owner.Str("metadata.uid"),
        ["controller"] = true, ["blockOwnerDeletion"] = blockOwnerDeletion,
    };

    private static IEnumerable<string> Finalizers(ApiResponse response) =>
        (response.Object["metadata"]!["finalizers"] as JsonArray ?? []).Select(f => f!.GetValue<string>());

    private async Task<(string Namespace, string OwnerUid)> OwnerWithDependentAsync(string? dependentFinalizer = null)
    {
        var ns = await _api.NewNamespaceAsync();
        var owner = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("owner"));
        var uid = owner.Str("metadata.uid")!;
        var dependent = ApiClient.ConfigMap("dependent");
        dependent["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "test.recoperator.io/v1", ["kind"] = "Widget", ["name"] = "owner", ["uid"] = uid, ["blockOwnerDeletion"] = true,
        });
        if (dependentFinalizer is not null)
        {
            dependent["metadata"]!["finalizers"] = new JsonArray(dependentFinalizer);
        }
        (await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", dependent)).Status.Should().Be(HttpStatusCode.Created);
        return (ns, uid);
    }
}
