using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Support.BuiltInSamples;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// Built-in kinds are decoded as the real server decodes them into their Go types, from the official OpenAPI
/// document: a wrong type is 400 naming the field, an unknown field is dropped with a warning (refused under
/// fieldValidation=Strict, silent under Ignore), and quantities and times are stored in canonical form.
/// </summary>
public sealed class TypedDecodeTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public TypedDecodeTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("deployments", """{"spec":{"replicas":"3"}}""", "spec.replicas must be an integer (int32), not \"3\"")]
    [InlineData("deployments", """{"spec":{"replicas":3000000000}}""", "spec.replicas must be an integer (int32)")]
    [InlineData("deployments", """{"spec":{"replicas":1.5}}""", "spec.replicas must be an integer (int32)")]
    [InlineData("deployments", """{"spec":{"paused":"yes"}}""", "spec.paused must be a boolean")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"containers":{"name":"c"}}}}}""", "spec.template.spec.containers must be a list")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"cpu":"lots"}}}]}}}}""",
        "spec.template.spec.containers[0].resources.limits[cpu] must be a quantity")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":"http"}]}]}}}}""",
        "spec.template.spec.containers[0].ports[0].containerPort must be an integer (int32)")]
    [InlineData("configmaps", """{"data":{"k":1}}""", "data[k] must be a string, not 1")]
    [InlineData("configmaps", """{"metadata":{"creationTimestamp":"yesterday"}}""", "metadata.creationTimestamp must be an RFC 3339 date-time")]
    [InlineData("secrets", """{"data":{"k":"not base64!"}}""", "data[k] must be base64-encoded data")]
    [InlineData("services", """{"spec":{"ports":[{"port":80,"targetPort":1.5}]}}""", "spec.ports[0].targetPort must be an integer (int32) or a string")]
    public async Task Create_FieldOfWrongType_Returns400NamingItAndStoresNothing(string plural, string overlay, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        var body = Merge(Sample(plural, "x"), overlay);

        var result = await _api.PostAsync(Collection(plural, ns), body);

        result.Status.Should().Be(HttpStatusCode.BadRequest, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("BadRequest");
        var kind = (string)body["kind"]!;
        result.Str("message").Should().StartWith($"{kind} in version \"v1\" cannot be handled as a {kind}: ").And.Contain(named);
        (await _api.GetAsync($"{Collection(plural, ns)}/x")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_UnknownFields_DropsThemWithAWarningEachByDefault()
    {
        var ns = await _api.NewNamespaceAsync();
        var body = Merge(Sample("deployments", "web"), """{"spec":{"replica":3,"template":{"spec":{"containers":[{"name":"c","image":"i","imagee":"typo"}]}}}}""");

        var result = await _api.PostAsync(Collection("deployments", ns), body);

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        result.Warnings.Should().BeEquivalentTo(
            """299 - "unknown field \"spec.replica\"" """.TrimEnd(),
            """299 - "unknown field \"spec.template.spec.containers[0].imagee\"" """.TrimEnd());
        var stored = await _api.GetAsync($"{Collection("deployments", ns)}/web");
        stored.Object["spec"]!.AsObject().ContainsKey("replica").Should().BeFalse("a typed object cannot hold a field its type does not have");
        stored.Object["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().ContainsKey("imagee").Should().BeFalse();
        stored.Num("spec.replicas").Should().Be(1, "the misspelt field set nothing, so the default stands");
    }

    [Fact]
    public async Task Create_UnknownFieldsUnderStrict_Returns400NamingEachAndStoresNothing()
    {
        var ns = await _api.NewNamespaceAsync();
        var body = Merge(Sample("configmaps", "cm"), """{"dat":{"k":"v"},"metadata":{"label":{"a":"b"}}}""");

        var result = await _api.PostAsync($"{Collection("configmaps", ns)}?fieldValidation=Strict", body);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Be("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"metadata.label\", unknown field \"dat\"");
        (await _api.GetAsync($"{Collection("configmaps", ns)}/cm")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_UnknownFieldUnderIgnore_DropsItWithoutAWarning()
    {
        var ns = await _api.NewNamespaceAsync();
        var body = Merge(Sample("configmaps", "cm"), """{"extra":true}""");

        var result = await _api.PostAsync($"{Collection("configmaps", ns)}?fieldValidation=Ignore", body);

        result.Status.Should().Be(HttpStatusCode.Created);
        result.Warnings.Should().BeEmpty();
        result.Object.ContainsKey("extra").Should().BeFalse();
    }

    [Fact]
    public async Task Patch_GivingAFieldTheWrongType_Returns400AndKeepsTheObject()
    {
        var ns = await _api.NewNamespaceAsync();
        (await _api.PostAsync(Collection("deployments", ns), Sample("deployments", "web"))).Status.Should().Be(HttpStatusCode.Created);

        var result = await _api.PatchAsync($"{Collection("deployments", ns)}/web", JsonNode.Parse("""{"spec":{"replicas":"two"}}""")!);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Contain("spec.replicas must be an integer (int32), not \"two\"");
        (await _api.GetAsync($"{Collection("deployments", ns)}/web")).Num("spec.replicas").Should().Be(1);
    }

    [Fact]
    public async Task StatusUpdate_WithAFieldOfWrongType_Returns400()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Collection("deployments", ns), Sample("deployments", "web"));
        var body = created.Object;
        body["status"] = JsonNode.Parse("""{"readyReplicas":"all"}""");

        var result = await _api.PutAsync($"{Collection("deployments", ns)}/web/status", body);

        result.Status.Should().Be(HttpStatusCode.BadRequest);
        result.Str("message").Should().Contain("status.readyReplicas must be an integer (int32)");
    }

    [Fact]
    public async Task Create_Quantities_AreStoredInCanonicalFormAndReapplyingIsANoOp()
    {
        var ns = await _api.NewNamespaceAsync();
        var applied = Merge(Sample("deployments", "web"),
            """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":0.5,"memory":"1024Mi"},"limits":{"cpu":"1000m","memory":"1.5Gi"}}}]}}}}""");
        var path = $"{Collection("deployments", ns)}/web?fieldManager=t";

        var first = await _api.PatchAsync(path, applied, "application/apply-patch+yaml");
        var second = await _api.PatchAsync(path, applied, "application/apply-patch+yaml");

        first.Status.Should().Be(HttpStatusCode.Created, first.Body?.ToJsonString());
        var resources = first.Object["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!;
        resources.ToJsonString().Should().Be("""{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"1","memory":"1536Mi"}}""");
        second.ResourceVersion.Should().Be(first.ResourceVersion, "the same quantities written again are the same object");
    }

    [Fact]
    public async Task Create_Times_AreStoredInUtcAtTheirTypesPrecision()
    {
        var ns = await _api.NewNamespaceAsync();
        var recorded = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p","namespace":"NS"},
             "reason":"Started","message":"m","type":"Normal","action":"Start","reportingComponent":"t","reportingInstance":"t-1",
             "firstTimestamp":"2026-05-01T12:30:45.678+02:00","lastTimestamp":"2026-05-01T10:31:00Z","eventTime":"2026-05-01T12:30:45.5+02:00"}
            """.Replace("NS", ns, StringComparison.Ordinal))!;

        var result = await _api.PostAsync($"/api/v1/namespaces/{ns}/events", recorded);

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        result.Str("firstTimestamp").Should().Be("2026-05-01T10:30:45Z", "a Time is written back in UTC without its fraction");
        result.Str("lastTimestamp").Should().Be("2026-05-01T10:31:00Z");
        result.Str("eventTime").Should().Be("2026-05-01T10:30:45.500000Z", "a MicroTime keeps six fractional digits");
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/events/e")).Str("firstTimestamp").Should().Be("2026-05-01T10:30:45Z");
    }

    [Fact]
    public async Task CustomResource_MetadataIsDecodedAsObjectMeta()
    {
        var ns = await _api.NewNamespaceAsync();
        var widget = Widgets.New("w");
        widget["metadata"]!["labelz"] = new JsonObject { ["a"] = "b" };

        var strict = await _api.PostAsync(Widgets.Collection(ns) + "?fieldValidation=Strict", widget.DeepClone());
        var lenient = await _api.PostAsync(Widgets.Collection(ns), widget);

        strict.Status.Should().Be(HttpStatusCode.BadRequest);
        strict.Str("message").Should().Be("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"metadata.labelz\"");
        lenient.Status.Should().Be(HttpStatusCode.Created);
        lenient.Warnings.Should().Equal("""299 - "unknown field \"metadata.labelz\"" """.TrimEnd());
        lenient.Object["metadata"]!.AsObject().ContainsKey("labelz").Should().BeFalse();
    }
}
