using System.Text.Json.Nodes;
using RecOperator.Crds;
using RecOperator.Kube.Yaml;
using RecOperator.Operator.Simulation;
using RecOperator.Tests.Shared;

namespace RecOperator.Operator.Tests.Simulation;

/// <summary>The fleet of the sample manifests, read the way <c>recop sim</c> reads it.</summary>
internal static class SampleFleet
{
    private static readonly Lazy<SimFleet> Fleet = new(Load);

    public static SimFleet Value => Fleet.Value;

    /// <summary>The same fleet with measured latency curves where the calibration has points.</summary>
    public static SimFleet WithCalibration(LatencyCalibration calibration) => Load(calibration);

    private static SimFleet Load() => Load(null);

    private static SimFleet Load(LatencyCalibration? calibration)
    {
        var model = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "samples", "recmodel-ranking.yaml"))).OfType<JsonObject>().Single();
        var pools = YamlDocuments.Parse(File.ReadAllText(RepoPaths.Combine("manifests", "samples", "nodepools.yaml"))).OfType<JsonObject>().Select(CrdsSerializer.ReadNodePool).ToList();
        return SimFleet.FromManifests(CrdsSerializer.ReadRecModel(model), pools, calibration);
    }
}
