using RecOperator.DevCluster.Auth;

namespace RecOperator.DevCluster.Tests.UnitTests;

/// <summary>The attributes RBAC is asked about, from method and URL as kube-apiserver's request-info resolver derives them.</summary>
public sealed class RequestAttributesTests
{
    private static readonly UserInfo Someone = new("someone", []);

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", null, null, "list || ns pods  ")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", "true", null, "watch || ns pods  ")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", "false", null, "list || ns pods  ")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", null, "metadata.name=web-0", "list || ns pods  web-0")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", "1", "status.phase=Running,metadata.name==web-0", "watch || ns pods  web-0")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods", null, "metadata.name!=web-0", "list || ns pods  ")]
    [InlineData("GET", "/api/v1/namespaces/ns/pods/web-0/log", null, null, "get || ns pods log web-0")]
    [InlineData("POST", "/api/v1/namespaces/ns/serviceaccounts/op/token", null, null, "create || ns serviceaccounts token op")]
    [InlineData("PUT", "/apis/apps/v1/namespaces/ns/deployments/d/scale", null, null, "update |apps| ns deployments scale d")]
    [InlineData("PATCH", "/apis/serving.recoperator.io/v1alpha1/nodepools/gpu/status", null, null, "patch |serving.recoperator.io|  nodepools status gpu")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/ns/deployments", null, null, "deletecollection |apps| ns deployments  ")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/ns/deployments/d", null, null, "delete |apps| ns deployments  d")]
    [InlineData("GET", "/api/v1/namespaces", null, null, "list ||  namespaces  ")]
    [InlineData("GET", "/api/v1/namespaces/ns", null, null, "get || ns namespaces  ns")]
    [InlineData("PUT", "/api/v1/namespaces/ns/finalize", null, null, "update || ns namespaces finalize ns")]
    [InlineData("GET", "/api/v1/watch/namespaces/ns/pods", null, null, "watch || ns pods  ")]
    [InlineData("GET", "/api/v1/nodes", null, null, "list ||  nodes  ")]
    public void Of_ResourceRequest_VerbGroupNamespaceResourceSubresourceName(string method, string path, string? watch, string? fieldSelector, string expected)
    {
        var a = RequestAttributes.Of(Someone, method, path, watch, fieldSelector);

        a.IsResourceRequest.Should().BeTrue();
        $"{a.Verb} |{a.ApiGroup}| {a.Namespace} {a.Resource} {a.Subresource} {a.Name}".Should().Be(expected);
    }

    [Theory]
    [InlineData("GET", "/api", "get")]
    [InlineData("GET", "/api/v1", "get")]
    [InlineData("GET", "/apis/apps", "get")]
    [InlineData("GET", "/apis/apps/v1", "get")]
    [InlineData("GET", "/openapi/v3/apis/apps/v1", "get")]
    [InlineData("POST", "/version", "post")]
    [InlineData("GET", "/devcluster/prometheus/pods", "get")]
    public void Of_DiscoveryAndOtherPaths_NonResourceWithTheMethodAsVerb(string method, string path, string verb)
    {
        var a = RequestAttributes.Of(Someone, method, path, null, null);

        (a.IsResourceRequest, a.Verb, a.Path).Should().Be((false, verb, path));
    }
}
