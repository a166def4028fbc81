using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.Kube.Yaml;

namespace RecOperator.Demo.Setup;

/// <summary>
/// The sample RecModel and NodePools, adjusted to run on this machine: the variants serve the artifacts the demo just
/// built (file URIs and their real sha256), the GPU variant stays only where a GPU is present, and capacity profiles
/// are scaled to what a 2-core host serves so the 4x step needs more replicas. A pure function of its inputs.
/// </summary>
public static class DemoManifests
{
    public static IReadOnlyList<JsonObject> NodePools(string samplesFolder, bool gpuPresent) =>
        [.. Read(Path.Combine(samplesFolder, "nodepools.yaml"))
            .Where(pool => gpuPresent || !IsGpuPool(pool))];

    public static JsonObject RecModel(string samplesFolder, DemoArtifact fp32, DemoArtifact int8, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(int8);
        ArgumentNullException.ThrowIfNull(options);
        var model = Read(Path.Combine(samplesFolder, "recmodel-ranking.yaml")).Single();
        var spec = model["spec"]!.AsObject();
        spec["slo"]!["p99LatencyMs"] = options.SloMs;
        // A short window and stabilization so the whole story (up, hold, down) fits in a demo of a minute or two.
        var autoscaling = spec["autoscaling"]!.AsObject();
        autoscaling["windowSeconds"] = options.WindowSeconds;
        autoscaling["scaleDownStabilizationSeconds"] = options.ScaleDownStabilizationSeconds;
        var variants = spec["variants"]!.AsArray();
        foreach (var variant in variants.Select(v => v!.AsObject()).ToList())
        {
            var name = (string)variant["name"]!;
            var artifact = name switch
            {
                "cpu-int8" => int8,
                "cpu-fp32" => fp32,
                _ => null,
            };
            if (artifact is null)
            {
                if (!options.GpuPresent)
                {
                    variants.Remove(variant);
                }
                continue;
            }
            variant["artifact"]!["uri"] = artifact.FileUri;
            variant["artifact"]!["sha256"] = artifact.Sha256;
            var capacity = variant["capacity"]!.AsObject();
            var declared = Number(capacity["qpsPerReplica"]!);
            capacity["qpsPerReplica"] = Math.Round(declared * options.CapacityScale, 1);
            // The pods share the host's cores with everything else: ask for a fraction so a pool's nodes hold many.
            variant["resources"] = JsonNode.Parse("""{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"1Gi"}}""");
            // Every replica is a process on this machine's few cores: past a handful, another replica adds start-up
            // and scheduling work rather than capacity, so the demo bounds them.
            variant["replicas"] = JsonNode.Parse(name == "cpu-int8" ? """{"min":1,"max":4}""" : """{"min":0,"max":2}""");
        }
        return model;
    }

    /// <summary>The request rate at which the demo starts: the int8 variant's minimum replicas at about half load.</summary>
    public static double BaseRps(JsonObject recModel)
    {
        ArgumentNullException.ThrowIfNull(recModel);
        var int8 = recModel["spec"]!["variants"]!.AsArray().Single(v => (string)v!["name"]! == "cpu-int8")!;
        return Math.Round(Number(int8["capacity"]!["qpsPerReplica"]!) * 0.5);
    }

    /// <summary>YAML integers arrive as longs and decimals as doubles; either reads as a number.</summary>
    internal static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static bool IsGpuPool(JsonObject pool) => (string?)pool["spec"]?["hardware"] == "Gpu";

    private static IEnumerable<JsonObject> Read(string path) =>
        YamlDocuments.Parse(File.ReadAllText(path)).Select(d => d.AsObject());
}
