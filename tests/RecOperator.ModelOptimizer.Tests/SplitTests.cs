using RecOperator.ModelOptimizer.Manifest;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Split;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class SplitTests
{
    [Fact]
    public async Task RunAsync_UserCandidate_TwoCheckedModelsThatScoreLikeTheOriginal()
    {
        using var output = new TempFolder();
        var input = await ModelFixtures.PathAsync("user-candidate");

        var result = await SplitPipeline.RunAsync(["user_dense", "user_history"], new PipelineOptions { InputPath = input, OutputFolder = output.Path },
            OrtEngine.Create(), CancellationToken.None);

        var manifest = result.Manifest;
        manifest.Files.Select(f => f.Role).Should().Equal("user", "candidate");
        foreach (var file in manifest.Files)
        {
            var (exitCode, checkerOutput) = await OnnxChecker.CheckAsync(Path.Combine(output.Path, file.Path));
            exitCode.Should().Be(0, checkerOutput);
        }
        var user = OnnxModelFiles.Read(Path.Combine(output.Path, manifest.Files[0].Path));
        var candidate = OnnxModelFiles.Read(result.ModelPath);
        user.Graph.Input.Select(i => i.Name).Should().Equal("user_dense", "user_history");
        candidate.Graph.Input.Select(i => i.Name).Should().Contain(["item_id", "item_dense"]).And.NotContain(["user_dense", "user_history"]);
        Metadata(candidate, SplitMetadata.UserModel).Should().Be(manifest.Files[0].Path);
        Metadata(candidate, SplitMetadata.UserModelSha256).Should().Be(manifest.Files[0].Sha256);
        Metadata(candidate, SplitMetadata.UserOutputs).Split(',').Should().Equal(user.Graph.Output.Select(o => o.Name));
        user.Graph.Node.Should().Contain(n => n.OpType == "ReduceMean", "history pooling is user work");
        candidate.Graph.Node.Should().NotContain(n => n.OpType == "ReduceMean");
        manifest.Fidelity!.MaxAbsError.Should().BeLessThan(1e-5);
    }

    [Fact]
    public async Task RunAsync_Int8DynamicUserCandidate_DeclaresTheBoundaryWidthsAndScoresLikeTheInt8Model()
    {
        // Quantize, then split: the boundary tensors come out of MatMulInteger/Cast/Mul chains, whose widths must be
        // known for the user outputs to be declared [1, width] (a shapeless declaration reads as a scalar).
        using var output = new TempFolder();
        var engine = OrtEngine.Create();
        var int8 = await OptimizationPipeline.RunAsync(new RecOperator.ModelOptimizer.Quantization.DynamicInt8Transform(),
            new PipelineOptions { InputPath = await ModelFixtures.PathAsync("user-candidate"), OutputFolder = output.File("int8") }, engine, CancellationToken.None);

        var result = await SplitPipeline.RunAsync(["user_dense", "user_history"], new PipelineOptions { InputPath = int8.ModelPath, OutputFolder = output.File("split") },
            engine, CancellationToken.None);

        var user = OnnxModelFiles.Read(Path.Combine(output.File("split"), result.Manifest.Files[0].Path));
        user.Graph.Output.Should().NotBeEmpty().And.OnlyContain(o => o.Type.TensorType.Shape != null && o.Type.TensorType.Shape.Dim.Count == 2);
        result.Manifest.Fidelity!.MaxAbsError.Should().BeLessThan(1e-5);
        result.Manifest.Precision.Should().Be(Crds.Models.Precision.Int8, "the split keeps the int8 weights it was given");
        result.VariantYaml.Should().Contain("precision: int8");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ConcatOfBroadcastUserAndItemIntoGemmOrMatMul_SplitsTheLayerAlgebraically(bool gemm)
    {
        using var folder = new TempFolder();
        var input = folder.File("concat.onnx");
        OnnxModelFiles.Write(TestModels.ConcatOfUserAndItem(gemm), input);

        var result = await SplitPipeline.RunAsync(["user"], new PipelineOptions { InputPath = input, OutputFolder = folder.File("out") },
            OrtEngine.Create(), CancellationToken.None);

        result.Manifest.Summary["algebraicSplits"].Should().Be("1");
        var user = OnnxModelFiles.Read(Path.Combine(folder.File("out"), result.Manifest.Files[0].Path));
        var candidate = OnnxModelFiles.Read(result.ModelPath);
        candidate.Graph.Node.Should().NotContain(n => n.OpType == "Concat" || n.OpType == "Expand" || n.OpType == "Gemm",
            "the broadcast user row is no longer materialized, and the layer became per-part MatMuls");
        candidate.Graph.Node.Count(n => n.OpType == "MatMul").Should().Be(2, "the item part of the layer and the output layer");
        user.Graph.Output.Should().ContainSingle().Which.Type.TensorType.Shape.Dim.Select(d => d.DimValue).Should().Equal(1, 8);
        result.Manifest.Fidelity!.MaxAbsError.Should().BeLessThan(1e-5);
        foreach (var file in result.Manifest.Files)
        {
            (await OnnxChecker.CheckAsync(Path.Combine(folder.File("out"), file.Path))).ExitCode.Should().Be(0);
        }
    }

    [Fact]
    public async Task RunAsync_EveryInputUserSide_RejectedAndNothingWritten()
    {
        using var folder = new TempFolder();
        var input = await ModelFixtures.PathAsync("user-candidate");

        var act = () => SplitPipeline.RunAsync(["user_dense", "user_history", "item_id", "item_dense"],
            new PipelineOptions { InputPath = input, OutputFolder = folder.File("out") }, OrtEngine.Create(), CancellationToken.None);

        (await act.Should().ThrowAsync<Graph.ModelRejectedException>()).WithMessage("--user-inputs: every input is user-side*");
        Directory.Exists(folder.File("out")).Should().BeFalse();
    }

    private static string Metadata(RecOperator.Onnx.Proto.ModelProto model, string key) => InputSides.Metadata(model, key);
}
