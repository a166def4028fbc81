using System.Net;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Support.BuiltInSamples;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// A pod spec's tolerations, nodeSelector and container resources are validated as the real server validates them
/// (422 naming the field), in a pod and in a Deployment's pod template alike; valid ones are accepted.
/// </summary>
public sealed class PodSpecFieldValidationTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public PodSpecFieldValidationTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"gpu","operator":"Maybe","effect":"NoSchedule"}]}}""", "spec.tolerations[0].operator", "FieldValueNotSupported")]
    [InlineData("pods", """{"spec":{"tolerations":[{"operator":"Equal","value":"x"}]}}""", "spec.tolerations[0].operator", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"gpu","operator":"Exists","value":"x"}]}}""", "spec.tolerations[0].operator", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"gpu","value":"a b"}]}}""", "spec.tolerations[0].operator", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"bad key","operator":"Exists"}]}}""", "spec.tolerations[0].key", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"gpu","operator":"Exists","effect":"Sometimes"}]}}""", "spec.tolerations[0].effect", "FieldValueNotSupported")]
    [InlineData("pods", """{"spec":{"tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}]}}""", "spec.tolerations[0].effect", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"tolerations":[{"operator":"Exists"},{"key":"example.com/gpu","operator":"Equal","value":"a100","effect":"NoExecute","tolerationSeconds":5}]}}""", null, null)]
    [InlineData("pods", """{"spec":{"nodeSelector":{"pool/a/b":"x"}}}""", "spec.nodeSelector", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"nodeSelector":{"pool":"not valid"}}}""", "spec.nodeSelector", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"nodeSelector":{"recoperator.io/pool":"cpu-a"}}}""", null, null)]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"gpu":"1"}}}]}}""", "spec.containers[0].resources.requests[gpu]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"pods":"1"}}}]}}""", "spec.containers[0].resources.limits[pods]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"a b/c":"1"}}}]}}""", "spec.containers[0].resources.requests[a b/c]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}}""", "spec.containers[0].resources.requests", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"memory":"-1"}}}]}}""", "spec.containers[0].resources.requests[memory]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"example.com/gpu":"1"}}}]}}""", "spec.containers[0].resources.limits", "FieldValueRequired")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"example.com/gpu":"1"},"limits":{"example.com/gpu":"2"}}}]}}""", "spec.containers[0].resources.requests", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"example.com/gpu":"500m"}}}]}}""", "spec.containers[0].resources.limits[example.com/gpu]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"initContainers":[{"name":"init","image":"i","resources":{"requests":{"disk":"1"}}}]}}""", "spec.initContainers[0].resources.requests[disk]", "FieldValueInvalid")]
    [InlineData("pods", """{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"500m","memory":"1Gi","example.com/gpu":"1"},"limits":{"cpu":"1","memory":"1Gi","example.com/gpu":"1"}}}]}}""", null, null)]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"tolerations":[{"key":"gpu","operator":"Maybe"}]}}}}""", "spec.template.spec.tolerations[0].operator", "FieldValueNotSupported")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"nodeSelector":{"-pool":"a"}}}}}""", "spec.template.spec.nodeSelector", "FieldValueInvalid")]
    [InlineData("deployments", """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}}}}""", "spec.template.spec.containers[0].resources.requests", "FieldValueInvalid")]
    public async Task Create_PodSpecSchedulingFields_RefusedWith422NamingTheFieldOrAccepted(string plural, string overlay, string? field, string? reason)
    {
        var ns = await _api.NewNamespaceAsync();

        var result = await _api.PostAsync(Collection(plural, ns), Merge(Sample(plural, "x"), overlay));

        if (field is null)
        {
            result.Status.Should().Be(HttpStatusCode.Created, result.Body?.ToJsonString());
            return;
        }
        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity, result.Body?.ToJsonString());
        result.Object["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["reason"]!.GetValue<string>()))
            .Should().Contain((field, reason!));
    }

    [Fact]
    public async Task Create_PodWithBadTolerationAndRequestsOverLimits_MessagesInTheRealServersWords()
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "x"), """
            {"spec":{"tolerations":[{"key":"gpu","operator":"Maybe"}],
                     "containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}}
            """);

        var result = await _api.PostAsync(Collection("pods", ns), pod);

        result.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        result.Str("message").Should()
            .Contain("spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\"")
            .And.Contain("spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1");
    }
}
