using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// Requests a fuzzer found mishandled: each gets the real server's code and a Status naming the field or request
/// part that is wrong, and none of them changes or loses a stored object.
/// </summary>
public sealed class BadInputTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public BadInputTests(ClusterFixture fixture) => _api = fixture.Api;

    [Fact]
    public async Task DeleteStatusSubresource_Returns405AndKeepsTheObject()
    {
        var ns = await _api.NewNamespaceAsync();
        await CreateDeploymentAsync(ns, "web");

        var deleted = await _api.DeleteAsync($"{Deployments(ns)}/web/status");

        AssertStatus(deleted, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        (await _api.GetAsync($"{Deployments(ns)}/web")).Status.Should().Be(HttpStatusCode.OK, "DELETE on a subresource must not delete the object");
    }

    [Fact]
    public async Task Apply_StaleResourceVersion_Returns409AndKeepsTheObject()
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(ConfigMaps(ns), ApiClient.ConfigMap("cm"));
        var applied = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","resourceVersion":"1"},"data":{"k":"stale"}}""")!;

        var result = await _api.PatchAsync($"{ConfigMaps(ns)}/cm?fieldManager=t&force=true", applied, "application/apply-patch+yaml");

        AssertStatus(result, HttpStatusCode.Conflict, "Conflict");
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm")).Str("data.k").Should().Be("v");
    }

    [Theory]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/spec/replicas","value":4}]""")]
    [InlineData("application/merge-patch+json", """{"spec":{"replicas":4}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"spec":{"replicas":4}}""")]
    public async Task PatchScale_EachPatchType_SetsReplicas(string contentType, string patch)
    {
        var ns = await _api.NewNamespaceAsync();
        await CreateDeploymentAsync(ns, "web");

        var result = await _api.PatchAsync($"{Deployments(ns)}/web/scale", JsonNode.Parse(patch)!, contentType);

        result.Status.Should().Be(HttpStatusCode.OK, result.Body?.ToJsonString());
        (await _api.GetAsync($"{Deployments(ns)}/web")).Num("spec.replicas").Should().Be(4);
    }

    [Theory]
    [InlineData("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"other"},"spec":{"replicas":2}}""", "does not match the name on the URL")]
    [InlineData("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":"two"}}""", "spec.replicas")]
    [InlineData("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":3000000000}}""", "spec.replicas")]
    public async Task PutScale_BadBody_Returns400AndKeepsReplicas(string body, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        await CreateDeploymentAsync(ns, "web");

        var result = await _api.PutAsync($"{Deployments(ns)}/web/scale", JsonNode.Parse(body)!);

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", named);
        (await _api.GetAsync($"{Deployments(ns)}/web")).Num("spec.replicas").Should().Be(1);
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"data","value":"x"}]""", HttpStatusCode.UnprocessableEntity, "must be empty or start with \"/\"")]
    [InlineData("""[{"op":1,"path":"/data/x","value":"x"}]""", HttpStatusCode.BadRequest, "\"op\" must be a string")]
    [InlineData("""[{"op":"add","path":3,"value":"x"}]""", HttpStatusCode.BadRequest, "\"path\" must be a string")]
    [InlineData("""[{"op":"move","from":[],"path":"/data/x"}]""", HttpStatusCode.BadRequest, "\"from\" must be a string")]
    [InlineData("""[{"op":"frob","path":"/data/x"}]""", HttpStatusCode.UnprocessableEntity, "Unexpected kind: frob")]
    public async Task JsonPatch_BadOperation_IsRefusedNamingItAndChangesNothing(string patch, HttpStatusCode code, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(ConfigMaps(ns), ApiClient.ConfigMap("cm"));

        var result = await _api.PatchAsync($"{ConfigMaps(ns)}/cm", JsonNode.Parse(patch)!, "application/json-patch+json");

        AssertStatus(result, code, code == HttpStatusCode.BadRequest ? "BadRequest" : "Invalid", named);
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm")).Object["data"]!.ToJsonString().Should().Be("""{"k":"v"}""");
    }

    [Theory]
    [InlineData("""{"data":{"$patch":5}}""", "Unknown patch type: 5")]
    [InlineData("""{"data":{"$patch":"bogus"}}""", "Unknown patch type: \"bogus\"")]
    [InlineData("""{"data":{"$patch":{"a":1}}}""", "Unknown patch type")]
    [InlineData("""{"data":{"$retainKeys":[1]}}""", "$retainKeys")]
    public async Task StrategicMergePatch_BadDirective_Returns400(string patch, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(ConfigMaps(ns), ApiClient.ConfigMap("cm"));

        var result = await _api.PatchAsync($"{ConfigMaps(ns)}/cm", JsonNode.Parse(patch)!, "application/strategic-merge-patch+json");

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", named);
    }

    [Theory]
    [InlineData("""{"orphanDependents":"yes"}""", HttpStatusCode.BadRequest, "orphanDependents")]
    [InlineData("""{"dryRun":[1]}""", HttpStatusCode.BadRequest, "dryRun")]
    [InlineData("""{"gracePeriodSeconds":"soon"}""", HttpStatusCode.BadRequest, "gracePeriodSeconds")]
    [InlineData("""{"preconditions":{"uid":7}}""", HttpStatusCode.BadRequest, "preconditions.uid")]
    [InlineData("""{"propagationPolicy":"Sideways"}""", HttpStatusCode.UnprocessableEntity, "propagationPolicy: Unsupported value: \"Sideways\"")]
    [InlineData("""{"orphanDependents":true,"propagationPolicy":"Background"}""", HttpStatusCode.UnprocessableEntity, "cannot be both set")]
    [InlineData("""{"dryRun":["true"]}""", HttpStatusCode.UnprocessableEntity, "dryRun[0]: Unsupported value: \"true\"")]
    public async Task Delete_BadDeleteOptions_IsRefusedAndKeepsTheObject(string options, HttpStatusCode code, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(ConfigMaps(ns), ApiClient.ConfigMap("cm"));

        var result = await _api.DeleteAsync($"{ConfigMaps(ns)}/cm", JsonNode.Parse(options));

        AssertStatus(result, code, code == HttpStatusCode.BadRequest ? "BadRequest" : "Invalid", named);
        if (code == HttpStatusCode.UnprocessableEntity)
        {
            result.Str("details.kind").Should().Be("DeleteOptions");
            result.Str("details.group").Should().Be("meta.k8s.io");
        }
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("POST", "?dryRun=true", "dryRun[0]: Unsupported value: \"true\"")]
    [InlineData("PATCH", "?dryRun=All&dryRun=yes", "dryRun[1]: Unsupported value: \"yes\"")]
    [InlineData("POST", "?fieldValidation=Pedantic", "fieldValidation: Unsupported value: \"Pedantic\"")]
    [InlineData("PATCH", "?force=true", "force: Forbidden")]
    public async Task Write_BadOptions_Returns422AndWritesNothing(string method, string query, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        await _api.PostAsync(ConfigMaps(ns), ApiClient.ConfigMap("cm"));

        var result = method == "POST"
            ? await _api.PostAsync(ConfigMaps(ns) + query, ApiClient.ConfigMap("cm2"))
            : await _api.PatchAsync($"{ConfigMaps(ns)}/cm{query}", JsonNode.Parse("""{"data":{"k":"changed"}}""")!);

        AssertStatus(result, HttpStatusCode.UnprocessableEntity, "Invalid", named);
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm2")).Status.Should().Be(HttpStatusCode.NotFound, "a refused dry run must not become a real write");
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm")).Str("data.k").Should().Be("v");
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422PatchOptions()
    {
        var ns = await _api.NewNamespaceAsync();
        var applied = JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}""")!;

        var result = await _api.PatchAsync($"{ConfigMaps(ns)}/cm", applied, "application/apply-patch+yaml");

        AssertStatus(result, HttpStatusCode.UnprocessableEntity, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value");
    }

    [Theory]
    [InlineData("""{"labels":{"a":1}}""", "metadata.labels[a] must be a string")]
    [InlineData("""{"labels":"a=b"}""", "metadata.labels must be an object")]
    [InlineData("""{"annotations":{"a":true}}""", "metadata.annotations[a] must be a string")]
    [InlineData("""{"finalizers":[1]}""", "metadata.finalizers[0] must be a string")]
    [InlineData("""{"ownerReferences":[1]}""", "metadata.ownerReferences[0] must be an object")]
    [InlineData("""{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o","uid":"u","controller":"yes"}]}""", "metadata.ownerReferences[0].controller must be a boolean")]
    [InlineData("""{"generation":"one"}""", "metadata.generation must be an integer")]
    public async Task Create_MetadataFieldOfWrongType_Returns400NamingItAndStoresNothing(string metadata, string named)
    {
        var ns = await _api.NewNamespaceAsync();
        var body = ApiClient.ConfigMap("cm");
        foreach (var (key, value) in JsonNode.Parse(metadata)!.AsObject())
        {
            body["metadata"]![key] = value?.DeepClone();
        }

        var result = await _api.PostAsync(ConfigMaps(ns), body);

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", named);
        (await _api.GetAsync($"{ConfigMaps(ns)}/cm")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"labels":{"a b":"x"}}""", "metadata.labels", "FieldValueInvalid")]
    [InlineData("""{"annotations":{"-a":"x"}}""", "metadata.annotations", "FieldValueInvalid")]
    [InlineData("""{"finalizers":["example.com/ok","Bad Final"]}""", "metadata.finalizers[1]", "FieldValueInvalid")]
    [InlineData("""{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"o"}]}""", "metadata.ownerReferences.uid", "FieldValueInvalid")]
    public async Task Create_InvalidMetadataKey_Returns422WithTheFieldAsCause(string metadata, string field, string reason)
    {
        var ns = await _api.NewNamespaceAsync();
        var body = ApiClient.ConfigMap("cm");
        foreach (var (key, value) in JsonNode.Parse(metadata)!.AsObject())
        {
            body["metadata"]![key] = value?.DeepClone();
        }

        var result = await _api.PostAsync(ConfigMaps(ns), body);

        AssertStatus(result, HttpStatusCode.UnprocessableEntity, "Invalid", field);
        result.Object["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["reason"]!.GetValue<string>()))
            .Should().Contain((field, reason));
    }

    [Fact]
    public async Task Create_AnnotationsOver256KiB_Returns422TooLong()
    {
        var ns = await _api.NewNamespaceAsync();
        var body = ApiClient.ConfigMap("cm");
        body["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 256 * 1024) };

        var result = await _api.PostAsync(ConfigMaps(ns), body);

        AssertStatus(result, HttpStatusCode.UnprocessableEntity, "Invalid", "metadata.annotations: Too long");
    }

    [Fact]
    public async Task Create_DuplicateField_Returns400NamingIt()
    {
        var ns = await _api.NewNamespaceAsync();
        const string body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"},"data":{"b":"2"}}""";

        var result = await SendRawAsync(HttpMethod.Post, ConfigMaps(ns), body, "application/json");

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", "'data'");
    }

    [Theory]
    [InlineData("!=")]
    [InlineData("!")]
    [InlineData("a=b c")]
    [InlineData("a=b=c")]
    [InlineData("a in ()")]
    [InlineData("A_/b=c")]
    public async Task List_MalformedLabelSelector_Returns400(string selector)
    {
        var ns = await _api.NewNamespaceAsync();

        var result = await _api.GetAsync($"{ConfigMaps(ns)}?labelSelector={Uri.EscapeDataString(selector)}");

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", "unable to parse requirement");
    }

    [Theory]
    [InlineData("?resourceVersion=abc", "invalid resourceVersion \"abc\"")]
    [InlineData("?resourceVersion=-5", "invalid resourceVersion \"-5\"")]
    [InlineData("?timeoutSeconds=soon", "invalid timeoutSeconds \"soon\"")]
    [InlineData("?watch=true&timeoutSeconds=1.5", "invalid timeoutSeconds \"1.5\"")]
    [InlineData("?watch=true&resourceVersion=x1", "invalid resourceVersion \"x1\"")]
    public async Task ListOrWatch_NonIntegerVersionOrTimeout_Returns400NamingIt(string query, string named)
    {
        var ns = await _api.NewNamespaceAsync();

        var result = await _api.GetAsync(ConfigMaps(ns) + query);

        AssertStatus(result, HttpStatusCode.BadRequest, "BadRequest", named);
    }

    [Fact]
    public async Task List_IntegerVersionAndNegativeTimeout_AreServed()
    {
        var ns = await _api.NewNamespaceAsync();

        var result = await _api.GetAsync(ConfigMaps(ns) + "?resourceVersion=0&timeoutSeconds=-1");

        result.Status.Should().Be(HttpStatusCode.OK, result.Body?.ToJsonString());
    }

    [Fact]
    public async Task Create_BodyMediaType_TextIs415AndYamlIsAccepted()
    {
        var ns = await _api.NewNamespaceAsync();

        var text = await SendRawAsync(HttpMethod.Post, ConfigMaps(ns), ApiClient.ConfigMap("as-text").ToJsonString(), "text/plain");
        var yaml = await SendRawAsync(HttpMethod.Post, ConfigMaps(ns), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: as-yaml\ndata:\n  k: v\n", "application/yaml");

        AssertStatus(text, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "text/plain");
        yaml.Status.Should().Be(HttpStatusCode.Created, yaml.Body?.ToJsonString());
        (await _api.GetAsync($"{ConfigMaps(ns)}/as-text")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_LongGenerateName_IsCutTo58CharactersLikeTheRealGenerator()
    {
        var ns = await _api.NewNamespaceAsync();
        var body = ApiClient.ConfigMap("");
        body["metadata"]!.AsObject().Remove("name");
        body["metadata"]!["generateName"] = new string('g', 100);

        var result = await _api.PostAsync(ConfigMaps(ns), body);

        result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
        result.Str("metadata.name").Should().HaveLength(63).And.StartWith(new string('g', 58));
    }

    private static string ConfigMaps(string ns) => $"/api/v1/namespaces/{ns}/configmaps";

    private static string Deployments(string ns) => $"/apis/apps/v1/namespaces/{ns}/deployments";

    private async Task CreateDeploymentAsync(string ns, string name)
    {
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"NAME"}},
                     "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """.Replace("NAME", name, StringComparison.Ordinal))!;
        (await _api.PostAsync(Deployments(ns), deployment)).Status.Should().Be(HttpStatusCode.Created);
    }

    private async Task<ApiResponse> SendRawAsync(HttpMethod method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A Status object with the code, reason and a message naming what is wrong.</summary>
    private static void AssertStatus(ApiResponse result, HttpStatusCode code, string reason, string? named = null)
    {
        result.Status.Should().Be(code, result.Body?.ToJsonString());
        result.Str("kind").Should().Be("Status");
        result.Str("apiVersion").Should().Be("v1");
        result.Str("status").Should().Be("Failure");
        result.Str("reason").Should().Be(reason);
        result.Num("code").Should().Be((int)code);
        if (named is not null)
        {
            result.Str("message").Should().Contain(named);
        }
    }
}
