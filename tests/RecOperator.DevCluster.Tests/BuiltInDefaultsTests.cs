using System.Net;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;
using static RecOperator.DevCluster.Tests.Support.BuiltInSamples;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// A bare pod or workload reads back with the real server's defaults: restart policy, scheduler, grace period, DNS
/// policy, security context, each container's pull policy (by tag) and termination message, each probe's timings.
/// </summary>
public sealed class BuiltInDefaultsTests : IClassFixture<ClusterFixture>
{
    private readonly ApiClient _api;

    public BuiltInDefaultsTests(ClusterFixture fixture) => _api = fixture.Api;

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("registry.local:5000/team/nginx", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public async Task Create_BarePod_ReadsBackThePodSpecDefaults(string image, string pullPolicy)
    {
        var ns = await _api.NewNamespaceAsync();
        var pod = Merge(Sample("pods", "bare"), """{"spec":{"containers":[{"name":"c","image":"IMAGE","readinessProbe":{"httpGet":{"port":80}},"livenessProbe":{"grpc":{"port":8081}}}]}}""".Replace("IMAGE", image, StringComparison.Ordinal));

        var created = await _api.PostAsync(Collection("pods", ns), pod);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        var spec = created.Object["spec"]!.AsObject();
        (spec["restartPolicy"]!.GetValue<string>(), spec["schedulerName"]!.GetValue<string>(), spec["dnsPolicy"]!.GetValue<string>())
            .Should().Be(("Always", "default-scheduler", "ClusterFirst"));
        spec["terminationGracePeriodSeconds"]!.GetValue<long>().Should().Be(30);
        spec["enableServiceLinks"]!.GetValue<bool>().Should().BeTrue();
        spec["securityContext"]!.AsObject().Should().BeEmpty();
        var container = spec["containers"]![0]!;
        container["imagePullPolicy"]!.GetValue<string>().Should().Be(pullPolicy);
        (container["terminationMessagePath"]!.GetValue<string>(), container["terminationMessagePolicy"]!.GetValue<string>()).Should().Be(("/dev/termination-log", "File"));
        container["readinessProbe"]!.ToJsonString().Should().Be("""{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""");
        // kubectl describe dereferences grpc.service: without the default it panicked on every pod the operator made.
        container["livenessProbe"]!["grpc"]!.ToJsonString().Should().Be("""{"port":8081,"service":""}""");
        (await _api.GetAsync($"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.schedulerName=default-scheduler,spec.restartPolicy=Always"))
            .Object["items"]!.AsArray().Should().ContainSingle("the defaults can be selected on, as on a real server");
    }

    [Fact]
    public async Task Create_DeploymentTemplate_GetsPodSpecDefaultsButNotThePodOnlyOnes()
    {
        var ns = await _api.NewNamespaceAsync();

        var created = await _api.PostAsync(Collection("deployments", ns), Sample("deployments", "web"));

        var template = created.Object["spec"]!["template"]!["spec"]!.AsObject();
        template["restartPolicy"]!.GetValue<string>().Should().Be("Always");
        template["terminationGracePeriodSeconds"]!.GetValue<long>().Should().Be(30);
        template.ContainsKey("enableServiceLinks").Should().BeFalse("only a pod gets it");
        template["containers"]![0]!["terminationMessagePolicy"]!.GetValue<string>().Should().Be("File");
    }

    [Theory]
    [InlineData("{}", """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""")]
    [InlineData("""{"strategy":{}}""", """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""")]
    [InlineData("""{"strategy":{"rollingUpdate":{"maxSurge":1}}}""", """{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}}""")]
    [InlineData("""{"strategy":{"type":"Recreate"}}""", """{"type":"Recreate"}""")]
    public async Task Create_DeploymentStrategyMissingOrEmpty_DefaultsAsTheRealServer(string specOverlay, string expected)
    {
        // kubectl create deployment sends `strategy: {}`; the real server defaults it like a missing one.
        var ns = await _api.NewNamespaceAsync();
        var deployment = Merge(Sample("deployments", "web"), $$"""{"spec":{{specOverlay}}}""");

        var created = await _api.PostAsync(Collection("deployments", ns), deployment);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        JsonNode.DeepEquals(created.Object["spec"]!["strategy"], JsonNode.Parse(expected)).Should().BeTrue(created.Object["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_ServicePortWithoutTargetPort_TargetsTheSamePortWithTheServiceDefaults()
    {
        var ns = await _api.NewNamespaceAsync();
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80},{"name":"grpc","port":9000,"targetPort":"grpc"}]}}""")!;

        var created = await _api.PostAsync($"/api/v1/namespaces/{ns}/services", service);

        created.Status.Should().Be(HttpStatusCode.Created, created.Body?.ToJsonString());
        created.Object["spec"]!["ports"]!.ToJsonString().Should().Be("""[{"name":"http","port":80,"protocol":"TCP","targetPort":80},{"name":"grpc","port":9000,"targetPort":"grpc","protocol":"TCP"}]""");
        created.Str("spec.sessionAffinity").Should().Be("None");
        created.Str("spec.internalTrafficPolicy").Should().Be("Cluster");
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a.b")]
    public async Task Create_ServiceNameThatIsNoDns1035Label_Returns422InTheRealServersWords(string name)
    {
        var ns = await _api.NewNamespaceAsync();
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"NAME"},"spec":{"ports":[{"port":80}]}}""".Replace("NAME", name, StringComparison.Ordinal))!;
        var configMap = ApiClient.ConfigMap(name);

        var refused = await _api.PostAsync($"/api/v1/namespaces/{ns}/services", service);
        var otherKind = await _api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", configMap);

        refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        refused.Str("message").Should().Contain("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character");
        otherKind.Status.Should().Be(HttpStatusCode.Created, "a ConfigMap's name is an RFC 1123 subdomain");
    }
}
