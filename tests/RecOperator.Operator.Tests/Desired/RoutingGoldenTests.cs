using System.Text.Json;
using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Autoscaling;
using RecOperator.Operator.Desired;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Reconciling;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Desired;

/// <summary>
/// Golden files for routing: testassets/routing/CASE/input.yaml (a RecModel, its NodePools and a test-only
/// TestFleetPlan) builds exactly expected/httproute.yaml and expected/configmap.yaml; the ConfigMap is also valid
/// against the official schema. Set RECOP_UPDATE_GOLDEN=1 to rewrite the expected files.
/// </summary>
public sealed class RoutingGoldenTests
{
    private static readonly string Root = RepoPaths.Combine("tests", "RecOperator.Operator.Tests", "testassets", "routing");

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Root).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_Case_MatchesExpectedFiles(string name)
    {
        var built = BuildCase(name);
        var expectedDir = Path.Combine(Root, name, "expected");
        if (Environment.GetEnvironmentVariable("RECOP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(expectedDir);
            foreach (var (file, yaml) in built)
            {
                File.WriteAllText(Path.Combine(expectedDir, file), yaml);
            }
        }

        Directory.GetFiles(expectedDir).Select(Path.GetFileName).Should().BeEquivalentTo(built.Keys);
        foreach (var (file, yaml) in built)
        {
            yaml.Should().Be(File.ReadAllText(Path.Combine(expectedDir, file)), $"{name}/expected/{file} differs");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_Case_ConfigMapIsValidAgainstTheOfficialSchema(string name)
    {
        OfficialSchema.Load().Validate(YamlDocuments.Parse(BuildCase(name)["configmap.yaml"]).Single()!).Should().BeEmpty();
    }

    private static Dictionary<string, string> BuildCase(string name)
    {
        var documents = YamlDocuments.Parse(File.ReadAllText(Path.Combine(Root, name, "input.yaml"))).Cast<JsonObject>().ToList();
        var model = CrdsSerializer.ReadRecModel(documents.Single(d => (string?)d["kind"] == RecModel.KindName));
        var pools = documents.Where(d => (string?)d["kind"] == NodePool.KindName).Select(CrdsSerializer.ReadNodePool)
            .ToDictionary(p => p.Metadata!.Name!, p => p.Spec);
        var plan = documents.Single(d => (string?)d["kind"] == "TestFleetPlan");
        var fleetPlan = new FleetPlan
        {
            Replicas = Pairs(plan["replicas"], v => (int)v.GetValue<long>()),
            TrafficWeights = Pairs(plan["trafficWeights"], v => double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        };
        var placements = PlacementResolver.Resolve(model, pools, fleetPlan, new Dictionary<PlacementKey, int>());
        var weights = fleetPlan.TrafficWeights.Count > 0
            ? RoutingWeights.FromShares(fleetPlan.TrafficWeights, placements.Select(p => p.Variant.Name))
            : RoutingWeights.FromReplicas(placements);
        return new Dictionary<string, string>
        {
            ["httproute.yaml"] = YamlWriter.Write(RoutingBuilder.HttpRoute(model, weights)),
            ["grpcroute.yaml"] = YamlWriter.Write(RoutingBuilder.GrpcRoute(model, weights)),
            ["configmap.yaml"] = YamlWriter.Write(JsonSerializer.SerializeToNode(RoutingBuilder.ConfigMap(model, weights), KubeJsonContext.Default.V1ConfigMap)),
        };
    }

    private static Dictionary<PlacementKey, T> Pairs<T>(JsonNode? map, Func<JsonNode, T> read) =>
        (map as JsonObject ?? []).ToDictionary(p => new PlacementKey(p.Key.Split('@')[0], p.Key.Split('@')[1]), p => read(p.Value!));
}
