using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecOperator.Kube.Yaml;
using RecOperator.Packaging.Tests.ChartRendering;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>The chart's templates rendered (no helm binary here) and checked as the objects an install would apply.</summary>
public sealed partial class ChartTemplateTests
{
    [Fact]
    public void Templates_EveryValuesReference_ExistsInValuesYaml()
    {
        var values = ChartFiles.Values();
        var files = Directory.GetFiles(ChartFiles.Path("templates"));
        files.Should().NotBeEmpty();
        foreach (var file in files)
        {
            foreach (Match reference in ValuesReference().Matches(File.ReadAllText(file)))
            {
                var node = reference.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries)
                    .Aggregate((JsonNode?)values, (n, field) => n is JsonObject o && o.ContainsKey(field) ? o[field] ?? new JsonObject() : null);
                node.Should().NotBeNull($"{Path.GetFileName(file)} uses {reference.Value}, which values.yaml does not define");
            }
        }
    }

    [Fact]
    public void Render_DefaultValues_InstallsTheOperatorWithoutMonitors()
    {
        var kinds = ChartFiles.Renderer().RenderObjects().Select(o => (string?)o["kind"]).ToList();
        kinds.Should().BeEquivalentTo(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment", "PodDisruptionBudget"],
            "leader election is on by default, and its Lease rights are a namespaced Role");
    }

    [Fact]
    public void Render_LeaderElectionOff_NoLeaseRole()
    {
        var values = ChartFiles.Set(ChartFiles.Values(), "leaderElection.enabled", false);

        var kinds = ChartFiles.Renderer(values).RenderObjects().Select(o => (string?)o["kind"]).ToList();

        kinds.Should().NotContain(["Role", "RoleBinding"]);
    }

    [Fact]
    public void Render_EveryOptionOn_BuiltInObjectsMatchTheOfficialSchema()
    {
        foreach (var obj in ChartFiles.Renderer(EverythingOn()).RenderObjects().Where(o => !((string?)o["apiVersion"])!.StartsWith("monitoring.coreos.com", StringComparison.Ordinal)))
        {
            OfficialSchema.Load().Validate(obj).Should().BeEmpty($"{obj["kind"]} {obj["metadata"]?["name"]} must be valid");
        }
    }

    [Fact]
    public void Render_DefaultValues_BuiltInObjectsMatchTheOfficialSchema()
    {
        foreach (var obj in ChartFiles.Renderer().RenderObjects())
        {
            OfficialSchema.Load().Validate(obj).Should().BeEmpty($"{obj["kind"]} must be valid");
        }
    }

    [Fact]
    public void Render_MonitorsEnabled_ScrapeOperatorServiceAndManagedPods()
    {
        var objects = ChartFiles.Renderer(EverythingOn()).RenderObjects();
        var serviceMonitor = objects.Single(o => (string?)o["kind"] == "ServiceMonitor");
        var podMonitor = objects.Single(o => (string?)o["kind"] == "PodMonitor");
        var service = objects.Single(o => (string?)o["kind"] == "Service");

        serviceMonitor["metadata"]!["labels"]!["release"]!.GetValue<string>().Should().Be("kube-prometheus");
        serviceMonitor["spec"]!["endpoints"]![0]!["port"]!.GetValue<string>().Should().Be((string?)service["spec"]!["ports"]![0]!["name"]);
        JsonNode.DeepEquals(serviceMonitor["spec"]!["selector"]!["matchLabels"], service["spec"]!["selector"]).Should().BeTrue();
        // The labels and port name the operator puts on inference pods (src/Operator/Desired).
        podMonitor["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>().Should().Be("recpod");
        podMonitor["spec"]!["podMetricsEndpoints"]![0]!["port"]!.GetValue<string>().Should().Be("http");
        // The Prometheus metrics source queries recpod_* and up by variant and pool (PrometheusMetricsSource).
        podMonitor["spec"]!["podMetricsEndpoints"]![0]!["relabelings"]!.AsArray().Select(r => (string?)r!["targetLabel"])
            .Should().Contain(["variant", "pool"]);
    }

    [Fact]
    public void Deployment_DefaultValues_ProbesHealthEndpointsOnTheHealthPort()
    {
        var container = Deployment(ChartFiles.Values())["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var port = container["ports"]!.AsArray().Single(p => (string?)p!["name"] == "health")!;
        port["containerPort"]!.GetValue<long>().Should().Be(8081);
        Args(container).Should().Contain("--health-port=8081").And.Contain("--leader-elect");
        container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/healthz");
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/readyz");
        container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>().Should().Be("health");
        container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>().Should().BeTrue();
        container["image"]!.GetValue<string>().Should().Be("ghcr.io/recoperator/rec-operator:0.1.0");
    }

    [Fact]
    public void Deployment_PrometheusSourceWithoutLeaderElection_PassesUrlAndNoLeaderFlags()
    {
        var values = ChartFiles.Set(ChartFiles.Values(), "metrics.source", "prometheus");
        ChartFiles.Set(values, "metrics.prometheusUrl", "http://prometheus:9090");
        ChartFiles.Set(values, "leaderElection.enabled", false);
        var args = Args(Deployment(values)["spec"]!["template"]!["spec"]!["containers"]![0]!);
        args.Should().Contain(["--metrics-source=prometheus", "--prometheus-url=http://prometheus:9090"]);
        args.Should().NotContain(a => a.StartsWith("--leader-elect", StringComparison.Ordinal));
    }

    [Fact]
    public void Deployment_NamespaceAuthorizationAndExtras_BecomeFlagsMountAndEnv()
    {
        var spec = Deployment(EverythingOn())["spec"]!["template"]!["spec"]!;
        var container = spec["containers"]![0]!;
        var args = Args(container);

        args.Should().Contain(["--namespace=ranking", "--log-format=json", "--prometheus-authorization-file=/etc/rec-operator/prometheus/token", "--context=prod"]);
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "prometheus-authorization")!;
        mount["mountPath"]!.GetValue<string>().Should().Be("/etc/rec-operator/prometheus");
        mount["readOnly"]!.GetValue<bool>().Should().BeTrue();
        var volume = spec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "prometheus-authorization")!;
        volume["secret"]!["secretName"]!.GetValue<string>().Should().Be("prom-token");
        volume["secret"]!["items"]![0]!["path"]!.GetValue<string>().Should().Be("token");
        container["env"]!.AsArray().Select(e => (string?)e!["name"]).Should().Contain(["POD_NAME", "POD_NAMESPACE", "DOTNET_gcServer"]);
    }

    [Fact]
    public void Deployment_DefaultValues_WatchAllNamespacesWithoutAuthorizationFile()
    {
        var args = Args(Deployment(ChartFiles.Values())["spec"]!["template"]!["spec"]!["containers"]![0]!);
        args.Should().NotContain(a => a.StartsWith("--namespace", StringComparison.Ordinal) || a.StartsWith("--prometheus-authorization-file", StringComparison.Ordinal));
    }

    [Fact]
    public void Selectors_ServiceAndBudget_SelectTheOperatorPods()
    {
        var objects = ChartFiles.Renderer().RenderObjects();
        var podLabels = objects.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selectors = new[]
        {
            objects.Single(o => (string?)o["kind"] == "Service")["spec"]!["selector"]!.AsObject(),
            objects.Single(o => (string?)o["kind"] == "PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]!.AsObject(),
            objects.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["selector"]!["matchLabels"]!.AsObject(),
        };
        foreach (var selector in selectors)
        {
            selector.Should().NotBeEmpty();
            selector.Should().OnlyContain(l => JsonNode.DeepEquals(podLabels[l.Key], l.Value));
        }
    }

    [Fact]
    public void ClusterRole_Rules_AreTheRulesFileAndBoundToTheServiceAccount()
    {
        var objects = ChartFiles.Renderer().RenderObjects();
        var role = objects.Single(o => (string?)o["kind"] == "ClusterRole");
        var rules = YamlDocuments.Parse(File.ReadAllText(ChartFiles.Path("files", "clusterrole-rules.yaml")))[0];
        JsonNode.DeepEquals(role["rules"], rules).Should().BeTrue();
        rules.AsArray().Should().Contain(r => r!["resources"]!.AsArray().Any(x => (string?)x == "recmodels/status"));

        var binding = objects.Single(o => (string?)o["kind"] == "ClusterRoleBinding");
        var account = objects.Single(o => (string?)o["kind"] == "ServiceAccount");
        binding["roleRef"]!["name"]!.GetValue<string>().Should().Be((string?)role["metadata"]!["name"]);
        binding["subjects"]![0]!["name"]!.GetValue<string>().Should().Be((string?)account["metadata"]!["name"]);
        binding["subjects"]![0]!["namespace"]!.GetValue<string>().Should().Be(ChartFiles.Namespace);
        var deployment = objects.Single(o => (string?)o["kind"] == "Deployment");
        deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>().Should().Be((string?)account["metadata"]!["name"]);
    }

    [Fact]
    public void Render_BudgetDisabled_NoPodDisruptionBudget()
    {
        var values = ChartFiles.Set(ChartFiles.Values(), "podDisruptionBudget.enabled", false);
        ChartFiles.Renderer(values).RenderObjects().Should().NotContain(o => (string?)o["kind"] == "PodDisruptionBudget");
    }

    [Fact]
    public void Notes_DefaultValues_RenderWithTheReleaseNames()
    {
        var notes = ChartFiles.Renderer().Render("NOTES.txt");
        notes.Should().Contain("deployment/rec-operator").And.Contain("get lease rec-operator-leader").And.NotContain("{{");
    }

    [Fact]
    public void Crds_Chart_AreByteIdenticalToManifests()
    {
        var manifests = Directory.GetFiles(RepoPaths.Combine("manifests", "crds")).Select(Path.GetFileName).Order().ToList();
        Directory.GetFiles(ChartFiles.Path("crds")).Select(Path.GetFileName).Order().Should().Equal(manifests);
        foreach (var name in manifests)
        {
            File.ReadAllBytes(ChartFiles.Path("crds", name!)).Should().Equal(File.ReadAllBytes(RepoPaths.Combine("manifests", "crds", name!)),
                $"charts/rec-operator/crds/{name} must be a copy of manifests/crds/{name} (cp manifests/crds/*.yaml charts/rec-operator/crds/)");
        }
    }

    [Fact]
    public void Renderer_MissingValue_FailsNamingTheReference()
    {
        var values = ChartFiles.Values();
        values.Remove("healthPort");
        ChartFiles.Renderer(values).Invoking(r => r.Render("deployment.yaml"))
            .Should().Throw<TemplateException>().WithMessage("*.Values.healthPort*");
    }

    private static JsonObject EverythingOn()
    {
        var values = ChartFiles.Values();
        ChartFiles.Set(values, "metrics.serviceMonitor.enabled", true);
        ChartFiles.Set(values, "metrics.serviceMonitor.labels", new JsonObject { ["release"] = "kube-prometheus" });
        ChartFiles.Set(values, "metrics.podMonitor.enabled", true);
        ChartFiles.Set(values, "nodeSelector", new JsonObject { ["kubernetes.io/os"] = "linux" });
        ChartFiles.Set(values, "tolerations", JsonNode.Parse("""[{"key":"dedicated","operator":"Equal","value":"control","effect":"NoSchedule"}]"""));
        ChartFiles.Set(values, "affinity", JsonNode.Parse("""{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]}]}}}"""));
        ChartFiles.Set(values, "imagePullSecrets", JsonNode.Parse("""[{"name":"registry"}]"""));
        ChartFiles.Set(values, "priorityClassName", "system-cluster-critical");
        ChartFiles.Set(values, "podAnnotations", new JsonObject { ["example.com/team"] = "ranking" });
        ChartFiles.Set(values, "podLabels", new JsonObject { ["team"] = "ranking" });
        ChartFiles.Set(values, "watchNamespace", "ranking");
        ChartFiles.Set(values, "metrics.source", "prometheus");
        ChartFiles.Set(values, "metrics.prometheusUrl", "https://prometheus.monitoring:9090");
        ChartFiles.Set(values, "metrics.prometheusAuthorization.secretName", "prom-token");
        ChartFiles.Set(values, "extraArgs", JsonNode.Parse("""["--context=prod"]"""));
        ChartFiles.Set(values, "extraEnv", JsonNode.Parse("""[{"name":"DOTNET_gcServer","value":"0"}]"""));
        return values;
    }

    private static JsonNode Deployment(JsonObject values) =>
        ChartFiles.Renderer(values).RenderObjects().Single(o => (string?)o["kind"] == "Deployment");

    private static List<string> Args(JsonNode container) => container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex ValuesReference();
}
