using RecOperator.Onnx.Model;

namespace RecOperator.Onnx.Tests;

public sealed class SessionTests
{
    private readonly OrtEngine _engine = OrtEngine.Create();

    [Fact]
    public void Load_FromFile_ReadsNamesTypesAndSymbolicShapes()
    {
        using var folder = new TempFolder();
        OnnxModelFiles.Write(TestModels.DenseAndIds(), folder.File("m.onnx"));
        using var session = _engine.Load(folder.File("m.onnx"));

        session.Inputs.Select(i => i.Name).Should().Equal("dense", "ids");
        session.Inputs[0].ElementType.Should().Be(TensorElementType.Float);
        session.Inputs[0].Dimensions.Should().Equal(-1, 4);
        session.Inputs[0].SymbolicDimensions.Should().Equal("batch", null);
        session.Inputs[1].ElementType.Should().Be(TensorElementType.Int64);
        session.Outputs.Single().Describe().Should().Be("Float [batch, 1]");
    }

    [Fact]
    public void Load_FromBytes_RunsFloatAndInt64IntoPreallocatedOutput()
    {
        using var session = _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()));
        using var dense = TensorBuffer.Over(new float[] { 1, 2, 3, 4, -5, -5, -5, -5 }, 2, 4);
        using var ids = TensorBuffer.Over(new long[] { 7, 3 }, 2);
        using var score = TensorBuffer.AllocatePinned<float>(2, 1);

        session.Run([new("dense", dense), new("ids", ids)], [new("score", score)]);

        score.Span.ToArray().Should().Equal(17f, 0f); // 10 + 7, and Relu(-20 + 3)
    }

    [Fact]
    public void Run_WithoutOutputBuffers_ReturnsNewOutputs()
    {
        using var session = _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()));
        var outputs = session.Run([
            new("dense", TensorBuffer.Over(new float[] { 1, 1, 1, 1 }, 1, 4)),
            new("ids", TensorBuffer.Over(new long[] { 2 }, 1))]);

        var score = (TensorBuffer<float>)outputs.Single().Tensor;
        outputs.Single().Name.Should().Be("score");
        score.Shape.ToArray().Should().Equal(1, 1);
        score.Span[0].Should().Be(6f);
    }

    [Fact]
    public void Run_SmallerBatchThroughSetShape_ReusesBuffers()
    {
        using var session = _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()));
        using var dense = TensorBuffer.AllocatePinned<float>(8, 4);
        using var ids = TensorBuffer.AllocatePinned<long>(8);
        using var score = TensorBuffer.AllocatePinned<float>(8, 1);
        dense.Span.Fill(1f);
        ids.Span.Fill(1);

        session.Run([new("dense", dense), new("ids", ids)], [new("score", score)]);
        dense.SetShape([3, 4]);
        ids.SetShape([3]);
        score.SetShape([3, 1]);
        dense.Span.Fill(2f);
        session.Run([new("dense", dense), new("ids", ids)], [new("score", score)]);

        score.Span.ToArray().Should().Equal(9f, 9f, 9f);
    }

    [Theory]
    [InlineData(TensorElementType.Float)]
    [InlineData(TensorElementType.Float16)]
    [InlineData(TensorElementType.Int64)]
    [InlineData(TensorElementType.Int32)]
    [InlineData(TensorElementType.Int8)]
    [InlineData(TensorElementType.UInt8)]
    [InlineData(TensorElementType.Bool)]
    public void Run_EachSupportedElementType_RoundTripsThroughIdentity(TensorElementType type)
    {
        using var session = _engine.Load(TestModels.Bytes(TestModels.Identity(type)));
        using var input = TensorBuffer.Allocate(type, [2, 3]);
        using var output = TensorBuffer.Allocate(type, [2, 3]);
        var pattern = Enumerable.Range(0, (int)input.ByteLength).Select(i => (byte)(type == TensorElementType.Bool ? i % 2 : i % 7 + 1)).ToArray();
        pattern.CopyTo(input.Bytes());

        session.Run([new("in", input)], [new("out", output)]);

        output.Bytes().ToArray().Should().Equal(pattern);
    }

    [Theory]
    [InlineData(1, 0, GraphOptimizationLevel.Disabled, ExecutionMode.Sequential, false)]
    [InlineData(2, 2, GraphOptimizationLevel.Extended, ExecutionMode.Parallel, true)]
    [InlineData(0, 0, GraphOptimizationLevel.All, ExecutionMode.Sequential, true)]
    public void Load_WithSessionOptions_Runs(int intra, int inter, GraphOptimizationLevel level, ExecutionMode mode, bool arena)
    {
        var options = new InferenceSessionOptions
        {
            IntraOpThreads = intra, InterOpThreads = inter, GraphOptimization = level, ExecutionMode = mode, EnableCpuMemoryArena = arena,
            ExecutionProviders = [ExecutionProviderRequest.Cpu],
        };
        using var session = _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()), options);
        var outputs = session.Run([
            new("dense", TensorBuffer.Over(new float[] { 1, 1, 1, 1 }, 1, 4)),
            new("ids", TensorBuffer.Over(new long[] { 0 }, 1))]);
        ((TensorBuffer<float>)outputs[0].Tensor).Span[0].Should().Be(4f);
    }

    [Fact]
    public void Load_NegativeThreads_ErrorNamesTheField()
    {
        var act = () => _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()), new InferenceSessionOptions { IntraOpThreads = -1 });
        act.Should().Throw<ArgumentException>().WithMessage("*IntraOpThreads*-1*");
    }

    [Fact]
    public async Task Run_ConcurrentCallersOnOneSession_EachGetsItsOwnResult()
    {
        using var session = _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()));
        var callers = Enumerable.Range(1, 4).Select(caller => Task.Run(() =>
        {
            using var dense = TensorBuffer.AllocatePinned<float>(5, 4);
            using var ids = TensorBuffer.AllocatePinned<long>(5);
            using var score = TensorBuffer.AllocatePinned<float>(5, 1);
            dense.Span.Fill(caller);
            ids.Span.Fill(caller);
            for (var i = 0; i < 50; i++)
            {
                session.Run([new("dense", dense), new("ids", ids)], [new("score", score)]);
                if (score.Span.ToArray().Any(s => s != 5f * caller))
                {
                    return false;
                }
            }
            return true;
        }));

        (await Task.WhenAll(callers)).Should().AllBeEquivalentTo(true);
    }
}
