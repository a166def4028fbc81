using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// What an update may not do to an object's metadata, with the real server's answers: add a finalizer once the object
/// is being deleted (422 Forbidden), replace an object with a body read from another object of the same name (a PUT
/// whose uid differs: 409, the uid precondition), or change the uid through a patch (422 immutable).
/// </summary>
public sealed class MetadataUpdateTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public MetadataUpdateTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task Patch_NewFinalizerOnObjectBeingDeleted_Returns422ForbiddenAndKeepsTheOldOnes()
    {
        var ns = await _api.NewNamespaceAsync();
        var item = $"/api/v1/namespaces/{ns}/configmaps/cm";
        var cm = ApiClient.ConfigMap("cm");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/keep");
        await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", cm);
        await _api.DeleteAsync(item);

        var added = await _api.PatchAsync(item, JsonNode.Parse("""{"metadata":{"finalizers":["example.com/keep","x","example.com/also"]}}""")!);
        var removed = await _api.PatchAsync(item, JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);

        added.Status.Should().Be(HttpStatusCode.UnprocessableEntity, added.Body?.ToJsonString());
        added.Str("message").Should().Be(
            "ConfigMap \"cm\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/also\", \"x\"}");
        added.Object["details"]!["causes"]![0]!["reason"]!.GetValue<string>().Should().Be("FieldValueForbidden");
        removed.Status.Should().Be(HttpStatusCode.OK, "removing finalizers is how deletion finishes");
        (await _api.GetAsync(item)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_BodyWithAnotherUid_Returns409PreconditionFailed()
    {
        var ns = await _api.NewNamespaceAsync();
        var item = $"/api/v1/namespaces/{ns}/configmaps/cm";
        var created = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("cm"));
        var stale = created.Object.DeepClone().AsObject();
        stale["metadata"]!["uid"] = "6f1f0c1e-0000-4000-8000-000000000001";
        stale["data"] = new JsonObject { ["k"] = "other" };

        var result = await _api.PutAsync(item, stale);
        var withoutUid = created.Object.DeepClone().AsObject();
        withoutUid["metadata"]!.AsObject().Remove("uid");
        var accepted = await _api.PutAsync(item, withoutUid);

        result.Status.Should().Be(HttpStatusCode.Conflict, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("Conflict");
        result.Str("message").Should().Be(
            $"Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: UID in precondition: 6f1f0c1e-0000-4000-8000-000000000001, UID in object meta: {created.Str("metadata.uid")}");
        accepted.Status.Should().Be(HttpStatusCode.OK, "a body without a uid sets no precondition");
        accepted.Str("data.k").Should().Be("v");
    }

    [Fact]
    public async Task Patch_ChangingTheUid_Returns422FieldIsImmutable()
    {
        var ns = await _api.NewNamespaceAsync();
        var item = $"/api/v1/namespaces/{ns}/configmaps/cm";
        var created = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiClient.ConfigMap("cm"));

        var result = await _api.PatchAsync(item, JsonNode.Parse("""{"metadata":{"uid":"other-uid"}}""")!);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Str("message").Should().Be("ConfigMap \"cm\" is invalid: metadata.uid: Invalid value: \"other-uid\": field is immutable");
        (await _api.GetAsync(item)).Str("metadata.uid").Should().Be(created.Str("metadata.uid"));
    }
}
