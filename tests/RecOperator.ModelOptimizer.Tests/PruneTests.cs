using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Pruning;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

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
        long.Parse(result.Summary["denseFlopsPerRowAfter"], System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeLessThan(long.Parse(result.Summary["denseFlopsPerRowBefore"], System.Globalization.CultureInfo.InvariantCulture));
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
}
