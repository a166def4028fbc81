using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Support.BuiltInSamples;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// Built-in objects a real cluster refuses are refused here with 422 and a cause naming the field, before a
/// controller acts on them: a Deployment whose selector misses its template, a pod without an image, a Service
/// port out of range, a ConfigMap key with a space.
/// </summary>
public sealed class BuiltInValidationTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public BuiltInValidationTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("deployments", """{"spec":{"selector":{"matchLabels":{"app":"other"}}}}""", "spec.template.metadata.labels", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"selector":{"matchLabels":null,"matchExpressions":[{"key":"app","operator":"NotIn","values":["other"]}]}}}""", null, null)]
    [InlineData("deployments", """{"spec":{"selector":{"matchLabels":null,"matchExpressions":[{"key":"app","operator":"In","values":["y"]}]}}}""", "spec.template.metadata.labels", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"selector":{"matchLabels":null,"matchExpressions":[{"key":"app","operator":"Like"}]}}}""", "spec.selector.matchExpressions[0].operator", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"selector":null}}""", "spec.selector", "FieldValueRequired")]
    [InlineData("deployments", """{"spec":{"selector":{"matchLabels":null}}}""", "spec.selector", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"replicas":-1}}""", "spec.replicas", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"restartPolicy":"Never"}}}}""", "spec.template.spec.restartPolicy", "FieldValueNotSupported")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"containers":[]}}}}""", "spec.template.spec.containers", "FieldValueRequired")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c"}]}}""", "spec.containers[0].image", "FieldValueRequired")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i"},{"name":"c","image":"j"}]}}""", "spec.containers[1].name", "FieldValueDuplicate")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"Web_1","image":"i"}]}}""", "spec.containers[0].name", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":0}]}]}}""", "spec.containers[0].ports[0].containerPort", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80,"protocol":"HTTP"}]}]}}""", "spec.containers[0].ports[0].protocol", "FieldValueNotSupported")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","env":[{"value":"x"}]}]}}""", "spec.containers[0].env[0].name", "FieldValueRequired")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","volumeMounts":[{"name":"model","mountPath":"/m"}]}]}}""", "spec.containers[0].volumeMounts[0].name", "FieldValueNotFound")]
    [InlineData("pods", """{"spec":{"restartPolicy":"Sometimes"}}""", "spec.restartPolicy", "FieldValueNotSupported")]
    [InlineData("services", """{"spec":{"ports":[{"port":70000}]}}""", "spec.ports[0].port", "FieldValueInvalid")]
    [InlineData("services", """{"spec":{"ports":[{"name":"a","port":80},{"port":81}]}}""", "spec.ports[1].name", "FieldValueRequired")]
    [InlineData("services", """{"spec":{"ports":[{"name":"a","port":80},{"name":"a","port":81}]}}""", "spec.ports[1].name", "FieldValueDuplicate")]
    [InlineData("services", """{"spec":{"ports":[{"port":80,"targetPort":0}]}}""", "spec.ports[0].targetPort", "FieldValueInvalid")]
    [InlineData("services", """{"spec":{"ports":[]}}""", "spec.ports", "FieldValueRequired")]
    [InlineData("services", """{"spec":{"type":"Internal"}}""", "spec.type", "FieldValueNotSupported")]
    [InlineData("configmaps", """{"data":{"a b":"v"}}""", "data[a b]", "FieldValueInvalid")]
    [InlineData("configmaps", """{"binaryData":{"k":"dg=="}}""", "binaryData[k]", "FieldValueInvalid")]
    [InlineData("secrets", """{"data":{".hidden":"dg=="}}""", null, null)]
    [InlineData("secrets", """{"data":{"..k":"dg=="}}""", "data[..k]", "FieldValueInvalid")]
    [InlineData("secrets", """{"data":{"k/x":"dg=="}}""", "data[k/x]", "FieldValueInvalid")]
    public async Task Create_BuiltInObject_RefusedWith422NamingTheFieldOrAccepted(string plural, string overlay, string? field, string? reason)
    {
        var ns = await _api.NewNamespaceAsync();

        var result = await _api.PostAsync(Collection(plural, ns), Merge(Sample(plural, "x"), overlay));

        if (field is null)
        {
            result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
            return;
        }
        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Str("reason").Should().Be("Invalid");
        result.Object["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["reason"]!.GetValue<string>()))
            .Should().Contain((field, reason!));
        (await _api.GetAsync($"{Collection(plural, ns)}/x")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Update_DeploymentSelectorNoLongerMatchingItsTemplate_Returns422AndKeepsTheObject()
    {
        var ns = await _api.NewNamespaceAsync();
        (await _api.PostAsync(Collection("deployments", ns), Sample("deployments", "web"))).Status.Should().Be(HttpStatusCode.Created);

        var result = await _api.PatchAsync($"{Collection("deployments", ns)}/web", JsonNode.Parse("""{"spec":{"template":{"metadata":{"labels":{"app":"moved"}}}}}""")!);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Str("message").Should().Contain("spec.template.metadata.labels: Invalid value").And.Contain("`selector` does not match template `labels`");
        (await _api.GetAsync($"{Collection("deployments", ns)}/web")).Str("spec.template.metadata.labels.app").Should().Be("web");
    }

    [Fact]
    public async Task Update_DeploymentSelector_Returns422FieldIsImmutable()
    {
        var ns = await _api.NewNamespaceAsync();
        (await _api.PostAsync(Collection("deployments", ns), Sample("deployments", "web"))).Status.Should().Be(HttpStatusCode.Created);
        var moved = JsonNode.Parse("""{"spec":{"selector":{"matchLabels":{"app":"web","tier":"front"}},"template":{"metadata":{"labels":{"app":"web","tier":"front"}}}}}""")!;
        var scaled = JsonNode.Parse("""{"spec":{"replicas":3}}""")!;

        var result = await _api.PatchAsync($"{Collection("deployments", ns)}/web", moved);
        var unrelated = await _api.PatchAsync($"{Collection("deployments", ns)}/web", scaled);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Str("message").Should().Contain("spec.selector: Invalid value").And.Contain("field is immutable");
        unrelated.Status.Should().Be(HttpStatusCode.OK, "a change that leaves the selector alone is fine");
        unrelated.Str("spec.selector.matchLabels.app").Should().Be("web");
        unrelated.Object["spec"]!["selector"]!["matchLabels"]!.AsObject().ContainsKey("tier").Should().BeFalse();
    }

    [Fact]
    public async Task Update_ImmutableConfigMap_RefusesNewDataButTakesNewLabels()
    {
        var ns = await _api.NewNamespaceAsync();
        var frozen = Merge(Sample("configmaps", "cm"), """{"immutable":true}""");
        (await _api.PostAsync(Collection("configmaps", ns), frozen)).Status.Should().Be(HttpStatusCode.Created);

        var changed = await _api.PatchAsync($"{Collection("configmaps", ns)}/cm", JsonNode.Parse("""{"data":{"k":"other"}}""")!);
        var thawed = await _api.PatchAsync($"{Collection("configmaps", ns)}/cm", JsonNode.Parse("""{"immutable":false}""")!);
        var labelled = await _api.PatchAsync($"{Collection("configmaps", ns)}/cm", JsonNode.Parse("""{"metadata":{"labels":{"a":"b"}}}""")!);

        changed.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        changed.Str("message").Should().Be("ConfigMap \"cm\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        thawed.Status.Should().Be(HttpStatusCode.UnprocessableEntity, "an immutable ConfigMap stays immutable");
        labelled.Status.Should().Be(HttpStatusCode.OK, "metadata may still change");
        (await _api.GetAsync($"{Collection("configmaps", ns)}/cm")).Str("data.k").Should().Be("v");
    }

    [Fact]
    public async Task Update_SecretType_Returns422FieldIsImmutable()
    {
        var ns = await _api.NewNamespaceAsync();
        var created = await _api.PostAsync(Collection("secrets", ns), Sample("secrets", "s"));
        var retyped = created.Object.DeepClone().AsObject();
        retyped["type"] = "example.com/token";
        var untyped = created.Object.DeepClone().AsObject();
        untyped.Remove("type");

        var result = await _api.PutAsync($"{Collection("secrets", ns)}/s", retyped);
        var defaulted = await _api.PutAsync($"{Collection("secrets", ns)}/s", untyped);

        created.Str("type").Should().Be("Opaque");
        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Str("message").Should().Be("Secret \"s\" is invalid: type: Invalid value: \"example.com/token\": field is immutable");
        defaulted.Status.Should().Be(HttpStatusCode.OK, "a body without a type is defaulted to Opaque again");
    }

    [Theory]
    [InlineData("configmaps", 1024 * 1024, 0, null)]
    [InlineData("configmaps", 1024 * 1024 + 1, 0, "")]
    [InlineData("configmaps", 512 * 1024, 512 * 1024 + 1, "")]
    [InlineData("secrets", 0, 1024 * 1024, null)]
    [InlineData("secrets", 0, 1024 * 1024 + 1, "data")]
    public async Task Create_ConfigMapOrSecretOverOneMebibyte_Returns422TooLong(string plural, int textBytes, int binaryBytes, string? field)
    {
        var ns = await _api.NewNamespaceAsync();
        var body = Sample(plural, "big");
        var binary = Convert.ToBase64String(new byte[binaryBytes]);
        if (plural == "configmaps")
        {
            body["data"] = new JsonObject { ["text"] = new string('a', textBytes) };
            body["binaryData"] = new JsonObject { ["bin"] = binary };
        }
        else
        {
            body["data"] = new JsonObject { ["bin"] = binary };
        }

        var result = await _api.PostAsync(Collection(plural, ns), body);

        if (field is null)
        {
            result.Status.Should().Be(HttpStatusCode.Created, "1 MiB is the limit, inclusive");
            return;
        }
        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        var cause = result.Object["details"]!["causes"]!.AsArray().Single()!;
        cause["field"]!.GetValue<string>().Should().Be(field, "a ConfigMap's size is reported at the whole object, a Secret's at data, as the real server does");
        cause["reason"]!.GetValue<string>().Should().Be("FieldValueTooLong");
        cause["message"]!.GetValue<string>().Should().Be("Too long: must have at most 1048576 bytes");
    }

    [Theory]
    [InlineData("system:controller:gc", null)]
    [InlineData("Team_Admins", null)]
    [InlineData("a/b", "metadata.name: Invalid value: \"a/b\": may not contain '/'")]
    [InlineData("..", "metadata.name: Invalid value: \"..\": may not be '..'")]
    public async Task Create_ClusterRoleName_IsAnyPathSegmentNotADnsName(string name, string? problem)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = new JsonObject { ["name"] = name },
        };

        var created = await _api.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", role);

        if (problem is null)
        {
            created.Status.Should().Be(HttpStatusCode.Created, "RBAC names only have to be path segments, as the default roles' system:... names are");
        }
        else
        {
            created.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
            created.Str("message").Should().Be($"ClusterRole.rbac.authorization.k8s.io \"{name}\" is invalid: {problem}");
        }
    }
}
