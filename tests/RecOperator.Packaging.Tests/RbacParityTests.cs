using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;
using RecOperator.Tests.Shared;

namespace RecOperator.Packaging.Tests;

/// <summary>
/// The chart and the kustomize install grant the same least-privilege rules: the chart's
/// files/clusterrole-rules.yaml equals the rules of manifests/rbac/clusterrole.yaml (written with the reconcilers).
/// Compiled once both exist: the csproj's &lt;Compile Remove&gt; line for this file goes at merge.
/// </summary>
public sealed class RbacParityTests
{
    [Fact]
    public void ClusterRoleRules_ChartAndManifests_AreEqual()
    {
        var manifest = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "rbac", "clusterrole.yaml")))
            .Single(o => (string?)o["kind"] == "ClusterRole");
        var chart = YamlDocuments.Parse(File.ReadAllText(ChartFiles.Path("files", "clusterrole-rules.yaml")))[0];

        JsonNode.DeepEquals(Normalized(chart), Normalized(manifest["rules"]))
            .Should().BeTrue($"charts/rec-operator/files/clusterrole-rules.yaml must list the rules of manifests/rbac/clusterrole.yaml:\n{manifest["rules"]!.ToJsonString()}");
    }

    [Fact]
    public void ServiceAccount_Kustomize_IsTheOneTheOperatorDeploymentRunsAs()
    {
        var account = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "rbac", "serviceaccount.yaml")))
            .Single(o => (string?)o["kind"] == "ServiceAccount");
        var deployment = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "operator", "deployment.yaml")))[0];
        deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>().Should().Be((string?)account["metadata"]!["name"]);
    }

    // Rules compare as sets: the order of rules and of the names inside one rule carries no meaning.
    private static JsonArray Normalized(JsonNode? rules) => new(rules!.AsArray()
        .Select(r => new JsonObject(r!.AsObject()
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray(p.Value!.AsArray().Select(v => (string?)v).Order(StringComparer.Ordinal).Select(v => (JsonNode?)v).ToArray())))))
        .OrderBy(r => r.ToJsonString(), StringComparer.Ordinal)
        .Select(r => (JsonNode?)r)
        .ToArray());
}
