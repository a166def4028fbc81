using System.Text.Json.Nodes;
using RecOperator.DevCluster.Tests.Support;

namespace RecOperator.DevCluster.Tests;

/// <summary>
/// kubectl v1.32's typed create commands send their objects as Kubernetes protobuf and never fall back to JSON: each
/// one against the control plane, then the object read back (as JSON) with the fields the command set, and the
/// commands that edit an object afterwards (scale, label, annotate, set image, rollout restart, expose).
/// </summary>
public sealed class KubectlProtobufTests : IClassFixture<ClusterFixture>
{
    private readonly ClusterFixture _fixture;

    public KubectlProtobufTests(ClusterFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task CreateDeployment_ReplicasPortAndCommand_StoredWithTheServersDefaults()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();

        var created = await RunAsync("create", "deployment", "web", "-n", ns, "--image=registry.local/web:1.2", "--replicas=2", "--port=8080", "--", "serve", "--fast");
        var spec = (await GetAsync("deployment", "web", ns))["spec"]!;

        created.Stdout.Should().Contain("deployment.apps/web created");
        spec["replicas"]!.GetValue<int>().Should().Be(2);
        ShouldBe(spec["selector"]!, """{"matchLabels":{"app":"web"}}""");
        ShouldBe(spec["template"]!["metadata"]!, """{"labels":{"app":"web"}}""");
        ShouldBe(spec["strategy"]!, """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""");
        var container = spec["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        (container["name"]!.GetValue<string>(), container["image"]!.GetValue<string>()).Should().Be(("web", "registry.local/web:1.2"));
        ShouldBe(container["command"]!, """["serve","--fast"]""");
        ShouldBe(container["ports"]!, """[{"containerPort":8080,"protocol":"TCP"}]""");
        ShouldBe(container["resources"]!, "{}");
    }

    [Fact]
    public async Task CreateDeployment_ZeroReplicas_KeepsZeroRatherThanTheDefaultOne()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();

        await RunAsync("create", "deployment", "idle", "-n", ns, "--image=x", "--replicas=0");

        (await GetAsync("deployment", "idle", ns))["spec"]!["replicas"]!.GetValue<int>().Should().Be(0);
    }

    [Theory]
    [InlineData("clusterip", "--tcp=80:8080", "ClusterIP", """[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}]""")]
    [InlineData("nodeport", "--tcp=80:8080", "NodePort", """[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}]""")]
    [InlineData("loadbalancer", "--tcp=443:https", "LoadBalancer", """[{"name":"443-https","protocol":"TCP","port":443,"targetPort":"https"}]""")]
    public async Task CreateService_EachType_StoresItsPortsWithTargetPortAsNumberOrName(string type, string tcp, string serviceType, string ports)
    {
        var ns = await _fixture.Api.NewNamespaceAsync();
        string[] nodePort = type == "nodeport" ? ["--node-port=30080"] : [];

        await RunAsync(["create", "service", type, "svc", "-n", ns, tcp, .. nodePort]);
        var spec = (await GetAsync("service", "svc", ns))["spec"]!;

        spec["type"]!.GetValue<string>().Should().Be(serviceType);
        ShouldBe(spec["ports"]!, ports);
        ShouldBe(spec["selector"]!, """{"app":"svc"}""");
    }

    [Fact]
    public async Task CreateService_ExternalName_StoresTheNameAndNoPorts()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();

        await RunAsync("create", "service", "externalname", "ext", "-n", ns, "--external-name=example.com");
        var spec = (await GetAsync("service", "ext", ns))["spec"]!.AsObject();

        (spec["type"]!.GetValue<string>(), spec["externalName"]!.GetValue<string>()).Should().Be(("ExternalName", "example.com"));
        spec.ContainsKey("ports").Should().BeFalse();
    }

    [Fact]
    public async Task CreateRoleAndRoleBinding_StoreRulesSubjectsAndRoleRef()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();

        await RunAsync("create", "role", "reader", "-n", ns, "--verb=get", "--verb=list", "--resource=pods", "--resource=deployments.apps", "--resource-name=web");
        await RunAsync("create", "rolebinding", "reader", "-n", ns, "--role=reader", "--user=alice", "--group=devs", $"--serviceaccount={ns}:robot");
        var role = await GetAsync("role", "reader", ns);
        var binding = await GetAsync("rolebinding", "reader", ns);

        // An empty core API group is a list item, kept as "" (only fields are left out when empty).
        ShouldBe(role["rules"]!, """
            [{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"],"resourceNames":["web"]},
             {"verbs":["get","list"],"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"]}]
            """);
        ShouldBe(binding["roleRef"]!, """{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}""");
        ShouldBe(binding["subjects"]!, $$"""
            [{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},
             {"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"},
             {"kind":"ServiceAccount","name":"robot","namespace":"{{ns}}"}]
            """);
    }

    [Fact]
    public async Task CreateClusterRolesAndBinding_StoreRulesAggregationRuleAndSubjects()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];

        await RunAsync("create", "clusterrole", $"logs-{suffix}", "--verb=get", "--non-resource-url=/logs/*");
        await RunAsync("create", "clusterrole", $"agg-{suffix}", "--aggregation-rule=rbac.example.com/aggregate=true");
        await RunAsync("create", "clusterrolebinding", $"logs-{suffix}", $"--clusterrole=logs-{suffix}", "--user=alice");
        var logs = await GetAsync("clusterrole", $"logs-{suffix}");
        var aggregated = await GetAsync("clusterrole", $"agg-{suffix}");
        var binding = await GetAsync("clusterrolebinding", $"logs-{suffix}");

        ShouldBe(logs["rules"]!, """[{"verbs":["get"],"nonResourceURLs":["/logs/*"]}]""");
        ShouldBe(aggregated["aggregationRule"]!, """{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate":"true"}}]}""");
        ShouldBe(binding["roleRef"]!, $$"""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"logs-{{suffix}}"}""");
        ShouldBe(binding["subjects"]!, """[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}]""");
    }

    [Fact]
    public async Task CreatePodDisruptionBudget_MinAvailableIsANumberAndMaxUnavailableAPercentString()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();

        await RunAsync("create", "poddisruptionbudget", "web-min", "-n", ns, "--selector=app=web", "--min-available=1");
        await RunAsync("create", "poddisruptionbudget", "web-max", "-n", ns, "--selector=app=web", "--max-unavailable=50%");
        var min = (await GetAsync("pdb", "web-min", ns))["spec"]!;
        var max = (await GetAsync("pdb", "web-max", ns))["spec"]!;

        ShouldBe(min, """{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}""");
        ShouldBe(max, """{"maxUnavailable":"50%","selector":{"matchLabels":{"app":"web"}}}""");
    }

    [Fact]
    public async Task EditCommands_OnADeploymentCreatedOverProtobuf_AllApply()
    {
        var ns = await _fixture.Api.NewNamespaceAsync();
        await RunAsync("create", "deployment", "web", "-n", ns, "--image=registry.local/web:1", "--port=8080");

        await RunAsync("scale", "deployment", "web", "-n", ns, "--replicas=3");
        await RunAsync("label", "deployment", "web", "-n", ns, "tier=front");
        await RunAsync("annotate", "deployment", "web", "-n", ns, "owner=ops");
        await RunAsync("set", "image", "deployment/web", "-n", ns, "web=registry.local/web:2");
        await RunAsync("rollout", "restart", "deployment/web", "-n", ns);
        await RunAsync("expose", "deployment", "web", "-n", ns, "--port=80", "--target-port=8080");
        var deployment = await GetAsync("deployment", "web", ns);
        var service = await GetAsync("service", "web", ns);

        deployment["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        (deployment["metadata"]!["labels"]!["tier"]!.GetValue<string>(), deployment["metadata"]!["annotations"]!["owner"]!.GetValue<string>()).Should().Be(("front", "ops"));
        var template = deployment["spec"]!["template"]!;
        template["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be("registry.local/web:2");
        template["metadata"]!["annotations"]!.AsObject().Should().ContainKey("kubectl.kubernetes.io/restartedAt");
        ShouldBe(service["spec"]!["ports"]!, """[{"protocol":"TCP","port":80,"targetPort":8080}]""");
        ShouldBe(service["spec"]!["selector"]!, """{"app":"web"}""");
    }

    private async Task<JsonNode> GetAsync(string kind, string name, string? ns = null)
    {
        string[] scope = ns is null ? [] : ["-n", ns];
        return JsonNode.Parse((await RunAsync(["get", kind, name, .. scope, "-o", "json"])).Stdout)!;
    }

    private Task<Kubectl.Result> RunAsync(params string[] args) => RunAsync(args, null);

    private async Task<Kubectl.Result> RunAsync(string[] args, string? stdin)
    {
        var result = await _fixture.RunKubectlAsync(args, stdin);
        result.ExitCode.Should().Be(0, $"kubectl {string.Join(' ', args)} should succeed:\n{result}");
        return result;
    }

    private static void ShouldBe(JsonNode actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).Should().BeTrue($"expected {JsonNode.Parse(expected)!.ToJsonString()}, got {actual.ToJsonString()}");
}
