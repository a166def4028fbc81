using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Quantization;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task RunAsync_NotOnnx_RejectedNamingTheFileAndNothingWritten()
    {
        using var folder = new TempFolder();
        var input = folder.File("notes.onnx");
        await File.WriteAllTextAsync(input, "this is not a model");
        var output = folder.File("out");

        var act = () => OptimizationPipeline.RunAsync(new DynamicInt8Transform(), new PipelineOptions { InputPath = input, OutputFolder = output },
            OrtEngine.Create(), CancellationToken.None);

        (await act.Should().ThrowAsync<ModelRejectedException>()).WithMessage("*notes.onnx*is not an ONNX model*");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_GemmWithTransA_RejectedNamingTheNodeAndNothingWritten()
    {
        using var folder = new TempFolder();
        var input = folder.File("transposed.onnx");
        OnnxModelFiles.Write(TestModels.TransposedGemm(), input);
        var output = folder.File("out");

        var act = () => OptimizationPipeline.RunAsync(new WeightOnlyInt8Transform(), new PipelineOptions { InputPath = input, OutputFolder = output },
            OrtEngine.Create(), CancellationToken.None);

        (await act.Should().ThrowAsync<ModelRejectedException>()).WithMessage("cannot quantize Gemm node 'y_node' (output 'y'): only Gemm with transA=0*");
        Directory.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task RunAsync_OutputIntoTheInputFolder_InputUntouched()
    {
        using var folder = new TempFolder();
        var input = folder.File("model.onnx");
        File.Copy(await ModelFixtures.PathAsync("user-candidate"), input);
        var before = await File.ReadAllBytesAsync(input);

        var result = await OptimizationPipeline.RunAsync(new DynamicInt8Transform(), new PipelineOptions { InputPath = input, OutputFolder = folder.Path },
            OrtEngine.Create(), CancellationToken.None);

        result.ModelPath.Should().Be(folder.File("model.int8-dynamic.onnx"));
        (await File.ReadAllBytesAsync(input)).Should().Equal(before);
        Directory.GetDirectories(folder.Path).Should().BeEmpty("the staging folder is removed");
    }

    [Fact]
    public void EmbeddingInt8_ModelWithoutTables_RejectedWithReason()
    {
        var act = () => new EmbeddingInt8Transform().Apply(TestModels.TransposedGemm());

        act.Should().Throw<ModelRejectedException>().WithMessage("emb-int8: the model has no Gather*");
    }
}
