using System.Text.Json;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class PruneTests
{
    [Fact]
    public async Task Apply_DlrmSmall30Percent_SlicesHiddenLayersIntoSmallerDenseWeights()
    {
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("dlrm-small"));

        var result = new StructuredPruneTransform(0.3).Apply(model);

        var weights = result.Model.Graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray());
        weights["bottom.0.weight"].Should().Equal(13, 358);
        weights["bottom.0.bias"].Should().Equal(358);
        weights["bottom.1.weight"].Should().Equal(358, 179);
        // The bottom output feeds the interaction, so it keeps its width.
        weights["bottom.2.weight"].Should().Equal(179, 64);
        weights["top.2.weight"].Should().Equal(179, 1);
    }

    [Fact]
    public async Task Apply_DlrmSmall30Percent_ReportsParametersAndFlopsBeforeAndAfter()
    {
        var original = OnnxModelFiles.Read(await ModelFixtures.PathAsync("dlrm-small"));

        var result = new StructuredPruneTransform(0.3).Apply(original.Clone());

        // dlrm-small: bottom 13 -> 512 -> 256 -> 64, top (64 + 27·26/2 = 415) -> 512 -> 256 -> 1; 30% of 512 and 256
        // hidden units removed leaves 358 and 179. Embedding tables are untouched.
        var denseBefore = Dense(13, 512) + Dense(512, 256) + Dense(256, 64) + Dense(415, 512) + Dense(512, 256) + Dense(256, 1);
        var denseAfter = Dense(13, 358) + Dense(358, 179) + Dense(179, 64) + Dense(415, 358) + Dense(358, 179) + Dense(179, 1);
        Number(result.Summary["parametersBefore"]).Should().Be(FloatParameters(original));
        Number(result.Summary["parametersAfter"]).Should().Be(FloatParameters(result.Model));
        (Number(result.Summary["parametersBefore"]) - Number(result.Summary["parametersAfter"])).Should().Be(denseBefore - denseAfter);
        Number(result.Summary["denseFlopsPerRowBefore"]).Should().Be(2 * ((13 * 512) + (512 * 256) + (256 * 64) + (415 * 512) + (512 * 256) + 256));
        Number(result.Summary["denseFlopsPerRowAfter"]).Should().Be(2 * ((13 * 358) + (358 * 179) + (179 * 64) + (415 * 358) + (358 * 179) + 179));
        result.Summary["removedHiddenUnits"].Should().Be(((512 - 358 + 256 - 179) * 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RunAsync_UserCandidate_WritesCheckedModelThatLoads()
    {
        using var output = new TempFolder();

        var result = await OptimizationPipeline.RunAsync(new StructuredPruneTransform(0.25),
            new PipelineOptions { InputPath = await ModelFixtures.PathAsync("user-candidate"), OutputFolder = output.Path }, OrtEngine.Create(), CancellationToken.None);

        (await OnnxChecker.CheckAsync(result.ModelPath)).ExitCode.Should().Be(0);
        result.Manifest.Summary["prunedHiddenLayers"].Should().Be("2", "the towers; the top hidden layer is a sum of three MatMuls, not a plain pair");
        result.Manifest.Fidelity!.Spearman.Should().BeGreaterThan(0.5);
        // What manifest.json on disk says, as a reader (the pod, a pipeline) sees it.
        using var written = JsonDocument.Parse(await File.ReadAllBytesAsync(result.ManifestPath));
        var root = written.RootElement;
        Strings(root.GetProperty("inputs").GetProperty("user")).Should().Equal("user_dense", "user_history");
        Strings(root.GetProperty("inputs").GetProperty("candidate")).Should().Equal("item_id", "item_dense");
        var summary = root.GetProperty("summary");
        Number(summary.GetProperty("parametersBefore").GetString()!).Should().Be(FloatParameters(OnnxModelFiles.Read(await ModelFixtures.PathAsync("user-candidate"))));
        Number(summary.GetProperty("parametersAfter").GetString()!).Should().Be(FloatParameters(OnnxModelFiles.Read(result.ModelPath)))
            .And.BeLessThan(Number(summary.GetProperty("parametersBefore").GetString()!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.2)]
    public void Apply_SparsityOutOfRange_RejectedNamingTheFlag(double sparsity)
    {
        var act = () => new StructuredPruneTransform(sparsity).Apply(TestModels.TransposedGemm());

        act.Should().Throw<ModelRejectedException>().WithMessage("--sparsity must be between 0 and 1*");
    }

    private static long Dense(long inputs, long outputs) => (inputs * outputs) + outputs;

    private static long Number(string value) => long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static long FloatParameters(ModelProto model) =>
        model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
