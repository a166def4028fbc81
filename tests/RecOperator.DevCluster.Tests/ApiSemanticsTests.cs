using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>CRUD semantics of the real API over real HTTP: resourceVersion, conflicts, generation, status isolation.</summary>
public sealed class ApiSemanticsTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public ApiSemanticsTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Create_NewObject_AssignsUidTimestampGenerationAndResourceVersion()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("w1"));

        created.Status.Should().Be(HttpStatusCode.Created);
        created.Str("metadata.uid").Should().NotBeNullOrEmpty();
        created.Str("metadata.creationTimestamp").Should().MatchRegex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");
        created.Num("metadata.generation").Should().Be(1);
        var fetched = await _api.GetAsync(Widgets.Item(ns, "w1"));
        fetched.ResourceVersion.Should().Be(created.ResourceVersion);
        fetched.Str("metadata.namespace").Should().Be(ns);
    }

    [Fact]
    public async Task ResourceVersion_AcrossResources_IsGlobalAndIncreasing()
    {
        var ns = await _api.NewNamespaceAsync();
        var a = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("a"));
        var b = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("b"));
        var c = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("c"));

        var versions = new[] { a, b, c }.Select(r => long.Parse(r.ResourceVersion!, CultureInfo.InvariantCulture)).ToList();
        versions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Returns409Conflict()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = (await _api.PostAsync(Widgets.Collection(ns), Widgets.New("w"))).Object;
        var first = created.DeepClone().AsObject();
        first["spec"]!["size"] = "medium";
        (await _api.PutAsync(Widgets.Item(ns, "w"), first)).Status.Should().Be(HttpStatusCode.OK);

        var stale = created.DeepClone().AsObject();
        stale["spec"]!["size"] = "large";
        var conflict = await _api.PutAsync(Widgets.Item(ns, "w"), stale);

        conflict.Status.Should().Be(HttpStatusCode.Conflict);
        conflict.Str("kind").Should().Be("Status");
        conflict.Str("reason").Should().Be("Conflict");
        conflict.Str("message").Should().Contain("the object has been modified");
    }

    [Fact]
    public async Task Create_ExistingName_Returns409AlreadyExists()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("dup"));

        var again = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("dup"));

        again.Status.Should().Be(HttpStatusCode.Conflict);
        again.Str("reason").Should().Be("AlreadyExists");
        again.Str("details.name").Should().Be("dup");
    }

    [Fact]
    public async Task Get_MissingObjectOrResource_Returns404Status()
    {
        var ns = await _api.NewNamespaceAsync();
        var missing = await _api.GetAsync(Widgets.Item(ns, "nope"));
        var unknownResource = await _api.GetAsync($"/apis/test.recoperator.io/v1/namespaces/{ns}/gadgets");

        missing.Status.Should().Be(HttpStatusCode.NotFound);
        missing.Str("reason").Should().Be("NotFound");
        missing.Str("message").Should().Be("widgets.test.recoperator.io \"nope\" not found");
        unknownResource.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404()
    {
        var result = await _api.PostAsync("/api/v1/namespaces/does-not-exist/configmaps", ApiClient.ConfigMap("x"));

        result.Status.Should().Be(HttpStatusCode.NotFound);
        result.Str("message").Should().Be("namespaces \"does-not-exist\" not found");
    }

    [Fact]
    public async Task Update_MetadataOnlyOrSpec_BumpsGenerationOnlyForSpec()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("g"));

        var labelled = await _api.PatchAsync(Widgets.Item(ns, "g"), JsonNode.Parse("""{"metadata":{"labels":{"x":"y"}}}""")!);
        var respecced = await _api.PatchAsync(Widgets.Item(ns, "g"), JsonNode.Parse("""{"spec":{"size":"large"}}""")!);

        labelled.Num("metadata.generation").Should().Be(1);
        respecced.Num("metadata.generation").Should().Be(2);
    }

    [Fact]
    public async Task StatusSubresource_BothDirections_IsolatesSpecAndStatus()
    {
        var ns = await _api.NewNamespaceAsync();
        var withStatus = Widgets.New("s");
        withStatus["status"] = new JsonObject { ["replicas"] = 9 };
        var created = await _api.PostAsync(Widgets.Collection(ns), withStatus);
        created.Object["status"].Should().BeNull("status is dropped on create when a status subresource exists");

        var statusWrite = await _api.PatchAsync(Widgets.Item(ns, "s") + "/status", JsonNode.Parse("""{"spec":{"size":"large"},"status":{"replicas":3}}""")!);
        statusWrite.Num("status.replicas").Should().Be(3);
        statusWrite.Str("spec.size").Should().Be("small");
        statusWrite.Num("metadata.generation").Should().Be(1);

        var mainWrite = await _api.PatchAsync(Widgets.Item(ns, "s"), JsonNode.Parse("""{"spec":{"size":"medium"},"status":{"replicas":7}}""")!);
        mainWrite.Str("spec.size").Should().Be("medium");
        mainWrite.Num("status.replicas").Should().Be(3);
    }

    [Fact]
    public async Task Create_DryRunAll_ReturnsObjectWithoutPersisting()
    {
        var ns = await _api.NewNamespaceAsync();

        var dry = await _api.PostAsync(Widgets.Collection(ns) + "?dryRun=All", Widgets.New("ghost"));

        dry.Status.Should().Be(HttpStatusCode.Created);
        dry.Str("metadata.name").Should().Be("ghost");
        (await _api.GetAsync(Widgets.Item(ns, "ghost"))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("widgets")]
    [InlineData("configmaps")]
    public async Task Create_DryRunAll_ReturnsNoResourceVersionButUidAndTimestamp(string plural)
    {
        var ns = await _api.NewNamespaceAsync();
        var (collection, body) = plural == "widgets"
            ? (Widgets.Collection(ns), Widgets.New("ghost"))
            : ($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("ghost"));

        var dry = await _api.PostAsync(collection + "?dryRun=All", body);

        dry.Status.Should().Be(HttpStatusCode.Created);
        // kube-apiserver's dry-run storage hands back the prepared object uncommitted: no revision was assigned, and an
        // empty resourceVersion is omitted from ObjectMeta's JSON, so the field is absent (not "").
        dry.Object["metadata"]!.AsObject().ContainsKey("resourceVersion").Should().BeFalse(dry.Body!.ToJsonString());
        dry.Str("metadata.uid").Should().NotBeNullOrEmpty();
        dry.Str("metadata.creationTimestamp").Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task UpdatePatchDelete_DryRunAll_AnswerAsIfDoneButStoreNothing()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Widgets.Collection(ns), Widgets.New("dry"));
        var replacement = created.Object.DeepClone().AsObject();
        replacement["spec"]!["size"] = "medium";

        var put = await _api.PutAsync(Widgets.Item(ns, "dry") + "?dryRun=All", replacement);
        var patch = await _api.PatchAsync(Widgets.Item(ns, "dry") + "?dryRun=All", JsonNode.Parse("""{"spec":{"size":"large"}}""")!);
        var invalidPatch = await _api.PatchAsync(Widgets.Item(ns, "dry") + "?dryRun=All", JsonNode.Parse("""{"spec":{"size":"huge"}}""")!);
        var delete = await _api.DeleteAsync(Widgets.Item(ns, "dry") + "?dryRun=All");
        var stored = await _api.GetAsync(Widgets.Item(ns, "dry"));
        var history = await WatchStream.CollectAsync(_api.Http, Widgets.Collection(ns) + $"?watch=true&timeoutSeconds=1&resourceVersion={created.ResourceVersion}", 1);

        (put.Status, put.Str("spec.size"), put.Num("metadata.generation")).Should().Be((HttpStatusCode.OK, "medium", 2));
        (patch.Status, patch.Str("spec.size")).Should().Be((HttpStatusCode.OK, "large"));
        invalidPatch.Status.Should().Be(HttpStatusCode.UnprocessableEntity, "a dry run still validates");
        (delete.Status, delete.Str("metadata.name")).Should().Be((HttpStatusCode.OK, "dry"));
        stored.Status.Should().Be(HttpStatusCode.OK, "the dry-run delete removed nothing");
        (stored.Str("spec.size"), stored.Num("metadata.generation"), stored.ResourceVersion).Should().Be(("small", 1, created.ResourceVersion));
        history.Should().BeEmpty("no dry run reaches watchers");
    }

    [Fact]
    public async Task Update_CustomResourceWithoutResourceVersion_Returns422()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("norv"));

        var result = await _api.PutAsync(Widgets.Item(ns, "norv"), Widgets.New("norv", "large"));

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Object["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("metadata.resourceVersion");
    }

    [Fact]
    public async Task Update_NameDiffersFromUrl_Returns400()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = (await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("one"))).Object;
        created["metadata"]!["name"] = "two";

        var result = await _api.PutAsync($"/api/v1/namespaces/{ns}/configmaps/one", created);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Contain("does not match the name on the URL");
    }

    [Fact]
    public async Task Scale_Subresource_ReadsAndWritesSpecReplicas()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(Widgets.Collection(ns), Widgets.New("sc", replicas: 2));

        var scale = await _api.GetAsync(Widgets.Item(ns, "sc") + "/scale");
        var patched = await _api.PatchAsync(Widgets.Item(ns, "sc") + "/scale", JsonNode.Parse("""{"spec":{"replicas":5}}""")!);

        scale.Str("kind").Should().Be("Scale");
        scale.Num("spec.replicas").Should().Be(2);
        patched.Num("spec.replicas").Should().Be(5);
        (await _api.GetAsync(Widgets.Item(ns, "sc"))).Num("spec.replicas").Should().Be(5);
    }
}
