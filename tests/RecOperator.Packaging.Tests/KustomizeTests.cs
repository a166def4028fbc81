using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// <c>kubectl kustomize manifests/</c> renders the whole install, and every built-in object in it is valid against the
/// official schema. manifests/rbac comes with the reconcilers' branch: until it is there, the build runs on a copy
/// without those entries (only rbac/ may be missing) and checks the rest.
/// </summary>
public sealed class KustomizeTests : IAsyncLifetime
{
    private const string Namespace = "rec-operator-system";
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "recop-kustomize-" + Guid.NewGuid().ToString("N"));
    private IReadOnlyList<JsonNode> _objects = [];
    private List<string> _missing = [];

    public async Task InitializeAsync()
    {
        CopyDirectory(RepoPaths.Combine("manifests"), _copy);
        var kustomization = Path.Combine(_copy, "kustomization.yaml");
        var lines = File.ReadAllLines(kustomization).ToList();
        _missing = lines.Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..]).Where(r => !Path.Exists(Path.Combine(_copy, r))).ToList();
        File.WriteAllLines(kustomization, lines.Where(l => !_missing.Contains(l.Trim().TrimStart('-', ' '))));
        var result = await ProcessRunner.RunAsync("kubectl", ["kustomize", _copy], RepoPaths.Root, TimeSpan.FromMinutes(2));
        result.ExitCode.Should().Be(0, result.ToString());
        _objects = YamlDocuments.Parse(result.StandardOutput);
    }

    [Fact]
    public void Build_Kustomization_OnlyTheRbacFromTheReconcilerBranchMayBeMissing()
    {
        _missing.Where(r => !r.StartsWith("rbac/", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public void Build_Manifests_RenderNamespaceCrdsOperatorAndService()
    {
        var kinds = _objects.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").ToList();
        kinds.Should().Contain([
            $"Namespace/{Namespace}",
            "CustomResourceDefinition/recmodels.serving.recoperator.io",
            "CustomResourceDefinition/nodepools.serving.recoperator.io",
            "Deployment/rec-operator",
            "Service/rec-operator-metrics",
        ]);
        if (_missing.Count == 0)
        {
            kinds.Should().Contain(["ServiceAccount/rec-operator", "ClusterRole/rec-operator", "ClusterRoleBinding/rec-operator"]);
        }
    }

    [Fact]
    public void Build_EveryBuiltInObject_MatchesTheOfficialSchema()
    {
        _objects.Should().NotBeEmpty();
        // CRDs are checked where they are generated (tests/RecOperator.Crds.Tests): their schemas' free-form JSON
        // fields (default, enum) are typed "object" in the OpenAPI document, which this validator cannot express.
        foreach (var obj in _objects.Where(o => (string?)o["kind"] != "CustomResourceDefinition"))
        {
            OfficialSchema.Load().Validate(obj).Should().BeEmpty($"{obj["kind"]} {obj["metadata"]?["name"]} must be valid");
        }
    }

    [Fact]
    public void Build_NamespacedObjects_AreInTheOperatorNamespace()
    {
        foreach (var obj in _objects.Where(o => (string?)o["kind"] is "Deployment" or "Service" or "ServiceAccount"))
        {
            ((string?)obj["metadata"]!["namespace"]).Should().Be(Namespace);
        }
    }

    [Fact]
    public void Deployment_KustomizeAndChart_RunTheSameOperatorPod()
    {
        // The chart with default values and release name rec-operator installs the same pod as manifests/.
        var chart = ChartFiles.Renderer().RenderObjects().Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["spec"]!.AsObject();
        var kustomize = _objects.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["spec"]!.AsObject();
        foreach (var field in new[] { "serviceAccountName", "securityContext", "containers", "volumes", "terminationGracePeriodSeconds" })
        {
            JsonNode.DeepEquals(kustomize[field], chart[field]).Should().BeTrue($"spec.template.spec.{field} differs: kustomize {kustomize[field]?.ToJsonString()} chart {chart[field]?.ToJsonString()}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_copy, recursive: true);
        return Task.CompletedTask;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
