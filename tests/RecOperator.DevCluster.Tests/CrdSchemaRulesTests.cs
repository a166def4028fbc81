using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// A CRD's structural schema refuses what the real server refuses, in its words: values at an exclusive minimum or
/// maximum, and repeated keys of an `x-kubernetes-list-type: map` list or repeated items of a `set`. The gadgets CRD
/// (testassets) has each rule; the shipped RecModel CRD shows the one its SLO relies on (p99 above 0).
/// </summary>
public sealed class CrdSchemaRulesTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public CrdSchemaRulesTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("""{"ratio":0}""", "spec.ratio", "Invalid value: 0: spec.ratio in body should be greater than 0")]
    [InlineData("""{"ratio":-0.25}""", "spec.ratio", "Invalid value: -0.25: spec.ratio in body should be greater than 0")]
    [InlineData("""{"ratio":1}""", "spec.ratio", "Invalid value: 1: spec.ratio in body should be less than 1")]
    [InlineData("""{"ratio":1.0}""", "spec.ratio", "Invalid value: 1: spec.ratio in body should be less than 1")]
    [InlineData("""{"budget":2000000}""", "spec.budget", "Invalid value: 2000000: spec.budget in body should be less than or equal to 1000000")]
    [InlineData("""{"budget":1500000.5}""", "spec.budget", "Invalid value: 1.5000005e+06: spec.budget in body should be less than or equal to 1e+06")]
    [InlineData("""{"parts":[{"name":"a"},{"name":"a","size":2}]}""", "spec.parts[1]", "Duplicate value: map[string]interface {}{\"name\":\"a\"}")]
    [InlineData("""{"parts":[{"name":"a"},{"name":"b"},{"name":"a"},{"name":"a"}]}""", "spec.parts[2]", "Duplicate value: map[string]interface {}{\"name\":\"a\"}")]
    [InlineData("""{"ports":[{"port":80},{"port":80,"protocol":"TCP"}]}""", "spec.ports[1]", "Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}")]
    [InlineData("""{"sizes":[1,2,1]}""", "spec.sizes[2]", "Duplicate value: 1")]
    public async Task Create_GadgetBreakingABoundOrAListType_Returns422InTheRealServersWords(string spec, string field, string message)
    {
        var ns = await SetUpAsync();

        var result = await _api.PostAsync(Gadgets(ns), Gadget("g", spec));

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        var causes = result.Object["details"]!["causes"]!.AsArray().Select(c => (Field: (string)c!["field"]!, Message: (string)c["message"]!)).ToList();
        causes.Should().Equal([(field, message)]);
        result.Str("message").Should().Be($"Gadget.test.recoperator.io \"g\" is invalid: {field}: {message}");
    }

    [Theory]
    [InlineData("""{"ratio":0.5,"budget":1000000}""")]
    [InlineData("""{"parts":[{"name":"a"},{"name":"b"}],"ports":[{"port":80},{"port":80,"protocol":"UDP"},{"port":81}]}""")]
    [InlineData("""{"sizes":[1,2,3]}""")]
    public async Task Create_GadgetWithinBoundsAndUniqueKeys_Created(string spec)
    {
        var ns = await SetUpAsync();

        var result = await _api.PostAsync(Gadgets(ns), Gadget("g", spec));

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
    }

    [Fact]
    public async Task Create_RecModelWithZeroP99_Returns422GreaterThanZero()
    {
        var ns = await SetUpAsync();
        var model = JsonNode.Parse("""
            {"apiVersion":"serving.recoperator.io/v1alpha1","kind":"RecModel","metadata":{"name":"m"},
             "spec":{"slo":{"p99LatencyMs":0},"variants":[{"name":"cpu","hardware":"Cpu","artifact":{"uri":"file:///m.onnx"},"nodePools":["p"]}]}}
            """)!;

        var result = await _api.PostAsync($"/apis/serving.recoperator.io/v1alpha1/namespaces/{ns}/recmodels", model);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Object["details"]!["causes"]!.AsArray()
            .Should().Contain(c => (string)c!["field"]! == "spec.slo.p99LatencyMs"
                && (string)c["message"]! == "Invalid value: 0: spec.slo.p99LatencyMs in body should be greater than 0");
    }

    /// <summary>Installs the gadgets and the shipped RecModel CRD (once per server; a repeat is AlreadyExists) and returns a fresh namespace.</summary>
    private async Task<string> SetUpAsync()
    {
        foreach (var file in new[] { Kubectl.Asset("gadgets-crd.yaml"), RepoPaths.Combine("manifests", "crds", "recmodels.serving.recoperator.io.yaml") })
        {
            var crd = YamlDocuments.Parse(await File.ReadAllTextAsync(file)).Single();
            var created = await _api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
            created.Status.Should().BeOneOf([HttpStatusCode.Created, HttpStatusCode.Conflict], created.Body?.ToJsonString());
        }
        return await _api.NewNamespaceAsync();
    }

    private static string Gadgets(string ns) => $"/apis/test.recoperator.io/v1/namespaces/{ns}/gadgets";

    private static JsonObject Gadget(string name, string spec) => new()
    {
        ["apiVersion"] = "test.recoperator.io/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = JsonNode.Parse(spec),
    };
}
