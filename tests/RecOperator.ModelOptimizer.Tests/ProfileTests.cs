using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Fp16;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Profiling;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class ProfileTests
{
    [Fact]
    public async Task RunAsync_UserCandidate_RecordsCapacityInManifestAndVariantWithoutMergingRequests()
    {
        using var output = new TempFolder();
        var model = await ModelFixtures.PathAsync("user-candidate");

        var result = await ProfilePipeline.RunAsync(model, output.Path, new ProfileOptions { P99TargetMs = 1000, Samples = 10, Candidates = 20 }, "cpu", OrtEngine.Create(), CancellationToken.None);

        var profile = (await ManifestFiles.ReadAsync(result.ManifestPath, CancellationToken.None))!.Profile!;
        profile.QpsPerReplica.Should().BeGreaterThan(0);
        profile.P99LatencyMs.Should().BeLessThanOrEqualTo(1000);
        profile.MaxBatchRequests.Should().Be(1, "user inputs have a fixed leading dim of 1, so requests cannot share a run");
        profile.Method.Should().StartWith("model over measured latencies, not a load test", "the manifest says what the number is");
        result.VariantYaml.Should().Contain("capacity:").And.Contain("candidatesPerRequest: 20");
        File.Exists(Path.Combine(output.Path, Path.GetFileName(model))).Should().BeFalse("profile never copies or rewrites the model");
    }

    [Fact]
    public async Task RunAsync_Int8StaticArtifactInAFolderWithoutItsManifest_RecordsPrecisionInt8()
    {
        using var folder = new TempFolder();
        var engine = OrtEngine.Create();
        var quantized = await OptimizationPipeline.RunAsync(new StaticInt8Transform(engine, 2, 16, null),
            new PipelineOptions { InputPath = await ModelFixtures.PathAsync("dlrm-small"), OutputFolder = folder.File("int8") }, engine, CancellationToken.None);

        // A fresh folder: the profile cannot copy the precision from the transform's manifest, it reads the model.
        var result = await ProfilePipeline.RunAsync(quantized.ModelPath, folder.File("profile"),
            new ProfileOptions { P99TargetMs = 1000, Samples = 5, Candidates = 8, MaxBatchRequests = 2 }, "cpu", engine, CancellationToken.None);

        result.Manifest.Precision.Should().Be(Precision.Int8);
        result.Manifest.Transform.Should().Be("int8-static");
        result.VariantYaml.Should().Contain("precision: int8");
    }

    public static TheoryData<string> Transforms() => ["int8-dynamic", "int8-static", "w8a16", "emb-int8", "fp16", "prune"];

    [Theory]
    [MemberData(nameof(Transforms))]
    public void TransformPrecisionOf_EveryTransformName_AgreesWithTheTransformsOwnPrecision(string name)
    {
        IModelTransform transform = name switch
        {
            "int8-dynamic" => new DynamicInt8Transform(),
            "int8-static" => new StaticInt8Transform(OrtEngine.Create(), 1, 1, null),
            "w8a16" => new WeightOnlyInt8Transform(),
            "emb-int8" => new EmbeddingInt8Transform(),
            "fp16" => new Fp16Transform(false, new HashSet<string>()),
            _ => new StructuredPruneTransform(0.3),
        };

        TransformPrecision.Of(transform.Name).Should().Be(transform.Precision);
    }
}
