using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Fp16;
using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class TransformPipelineTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "int8-dynamic", "dlrm-small" },
        { "int8-dynamic", "user-candidate" },
        { "w8a16", "dlrm-small" },
        { "int8-static", "dlrm-small" },
        { "int8-static-percentile", "user-candidate" },
        { "emb-int8", "dlrm-small" },
        { "emb-int8", "user-candidate" },
        { "fp16", "dlrm-small" },
        { "fp16-keep-io", "user-candidate" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_ReferenceModel_WritesCheckedLoadableArtifactWithManifestAndFidelity(string transformName, string model)
    {
        using var output = new TempFolder();
        var input = await ModelFixtures.PathAsync(model);

        var result = await OptimizationPipeline.RunAsync(Transform(transformName), new PipelineOptions { InputPath = input, OutputFolder = output.Path },
            OrtEngine.Create(), CancellationToken.None);

        var (exitCode, checkerOutput) = await OnnxChecker.CheckAsync(result.ModelPath);
        exitCode.Should().Be(0, checkerOutput);
        using (var session = OrtEngine.Create().Load(result.ModelPath))
        {
            session.Inputs.Select(i => i.Name).Should().Equal(OnnxModelFiles.Read(input).Graph.Input.Select(i => i.Name));
        }
        var manifest = await ManifestFiles.ReadAsync(result.ManifestPath, CancellationToken.None);
        manifest!.Sha256.Should().Be(await ManifestFiles.Sha256Async(result.ModelPath, CancellationToken.None));
        manifest.SizeBytes.Should().Be(new FileInfo(result.ModelPath).Length);
        manifest.Source!.Sha256.Should().Be(await ManifestFiles.Sha256Async(input, CancellationToken.None));
        manifest.Fidelity!.Top10Agreement.Should().BeGreaterThanOrEqualTo(0.9);
        manifest.Fidelity.Spearman.Should().BeGreaterThan(0.99);
        manifest.Fidelity.MaxAbsError.Should().BeGreaterThan(0, "a lossy transform that changes nothing did not run");
        Directory.GetFileSystemEntries(output.Path).Select(Path.GetFileName).Should().BeEquivalentTo(Path.GetFileName(result.ModelPath), "manifest.json");
        // YAML quotes a digest only when it could read as a number, so match the value, not the quoting.
        result.VariantYaml.Should().MatchRegex($"sha256: \"?{manifest.Sha256}\"?\n").And.Contain($"precision: {Wire(manifest.Precision)}");
    }

    [Fact]
    public async Task Int8Dynamic_DlrmSmall_ReplacesEveryWeightedGemmWithIntegerMatMul()
    {
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("dlrm-small"));

        var result = new DynamicInt8Transform().Apply(model);

        var ops = result.Model.Graph.Node.Select(n => n.OpType).ToList();
        ops.Should().NotContain("Gemm");
        ops.Count(o => o == "MatMulInteger").Should().Be(6, "3 bottom and 3 top layers");
        ops.Should().Contain("MatMul", "the interaction MatMul multiplies two activations and stays float");
        result.Model.Graph.Initializer.Should().NotContain(t => t.Name.EndsWith(".weight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbeddingInt8_DlrmSmall_TablesAboutFourTimesSmaller()
    {
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("dlrm-small"));

        var result = new EmbeddingInt8Transform().Apply(model);

        result.Summary["quantizedTables"].Should().Be("26");
        double.Parse(result.Summary["tableSizeRatio"], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(3.5);
        result.Model.Graph.Initializer.Select(t => t.Name).Should().NotContain(Enumerable.Range(0, 26).Select(f => $"embedding.{f}"));
    }

    private static IModelTransform Transform(string name) => name switch
    {
        "int8-dynamic" => new DynamicInt8Transform(),
        "w8a16" => new WeightOnlyInt8Transform(),
        "int8-static" => new StaticInt8Transform(OrtEngine.Create(), 4, 32, null),
        "int8-static-percentile" => new StaticInt8Transform(OrtEngine.Create(), 4, 32, 99.9),
        "emb-int8" => new EmbeddingInt8Transform(),
        "fp16" => new Fp16Transform(false, new HashSet<string>()),
        "fp16-keep-io" => new Fp16Transform(true, new HashSet<string> { "ReduceMean" }),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private static string Wire(Precision precision) => precision switch
    {
        Precision.Int8 => "int8",
        Precision.W8A16 => "w8a16",
        Precision.Fp16 => "fp16",
        _ => "fp32",
    };
}
