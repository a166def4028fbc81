using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Desired;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// Golden files: testassets/desired/CASE/input.yaml (a RecModel and its NodePools) builds exactly the objects in
/// CASE/expected/, and every one of them is valid against the official Kubernetes schema. Each variant is placed
/// in every eligible pool with its minimum replicas. Set RECOP_UPDATE_GOLDEN=1 to rewrite the expected files.
/// </summary>
public sealed class DesiredStateGoldenTests
{
    private static readonly string Root = RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "desired");

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Root).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_Case_MatchesExpectedFiles(string name)
    {
        var built = BuildCase(name);
        var expectedDir = Path.Combine(Root, name, "expected");
        if (Environment.GetEnvironmentVariable("RECOP_UPDATE_GOLDEN") == "1")
        {
            Rewrite(expectedDir, built);
        }

        Directory.GetFiles(expectedDir).Select(Path.GetFileName).Should().BeEquivalentTo(built.Keys);
        foreach (var (file, yaml) in built)
        {
            yaml.Should().Be(File.ReadAllText(Path.Combine(expectedDir, file)), $"{name}/expected/{file} differs");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_Case_EveryObjectIsValidAgainstTheOfficialSchema(string name)
    {
        foreach (var (file, yaml) in BuildCase(name))
        {
            OfficialSchema.Load().Validate(YamlDocuments.Parse(yaml).Single()).Should().BeEmpty($"{file} must match swagger.json");
        }
    }

    private static Dictionary<string, string> BuildCase(string name)
    {
        var documents = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Root, name, "input.yaml"))).Cast<JsonObject>().ToList();
        var model = CrdsSerializer.ReadRecModel(documents.Single(d => (string?)d["kind"] == RecModel.KindName));
        var pools = documents.Where(d => (string?)d["kind"] == NodePool.KindName).Select(CrdsSerializer.ReadNodePool)
            .ToDictionary(p => p.Metadata!.Name!);
        var placements = model.Spec.Variants
            .SelectMany(v => v.NodePools.Where(pools.ContainsKey).Select(p => new VariantPlacement(v, p, pools[p].Spec, v.Replicas.Min)))
            .ToList();

        var children = DesiredStateBuilder.Build(model, placements, OperatorImages.Default);

        var files = new Dictionary<string, string>();
        foreach (var d in children.Deployments)
        {
            files[$"deployment-{d.Metadata!.Name}.yaml"] = Yaml(JsonSerializer.SerializeToNode(d, KubeJsonContext.Default.V1Deployment));
        }

        foreach (var s in children.Services)
        {
            files[$"service-{s.Metadata!.Name}.yaml"] = Yaml(JsonSerializer.SerializeToNode(s, KubeJsonContext.Default.V1Service));
        }

        foreach (var b in children.PodDisruptionBudgets)
        {
            files[$"poddisruptionbudget-{b.Metadata!.Name}.yaml"] = Yaml(JsonSerializer.SerializeToNode(b, KubeJsonContext.Default.V1PodDisruptionBudget));
        }

        return files;
    }

    private static string Yaml(JsonNode? node) => YamlWriter.Write(node);

    private static void Rewrite(string dir, Dictionary<string, string> built)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        foreach (var (file, yaml) in built)
        {
            File.WriteAllText(Path.Combine(dir, file), yaml);
        }
    }
}
