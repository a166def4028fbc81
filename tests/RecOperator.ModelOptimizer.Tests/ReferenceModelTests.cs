using Google.Protobuf;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Tests;

public sealed class ReferenceModelTests
{
    // Small tables keep the tests fast; the dense shapes are the real ones.
    private const int TestRows = 100;

    public static TheoryData<string> Models => [.. ReferenceModelCatalog.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Build_EachModel_PassesOnnxFullCheck(string name)
    {
        using var folder = new TempFolder();
        OnnxModelFiles.Write(ReferenceModelCatalog.Create(name, rows: TestRows).Build(), folder.File("model.onnx"));

        var (exitCode, output) = await OnnxChecker.CheckAsync(folder.File("model.onnx"));

        exitCode.Should().Be(0, output);
        output.Should().Contain("ok 8 17");
    }

    [Theory]
    [InlineData("dlrm-small", 1)]
    [InlineData("dlrm-small", 37)]
    [InlineData("dlrm-v2", 16)]
    [InlineData("user-candidate", 1)]
    [InlineData("user-candidate", 50)]
    public void Run_InOnnxRuntime_MatchesIndependentCSharpMath(string name, int candidates)
    {
        var model = ReferenceModelCatalog.Create(name, seed: 7, rows: TestRows);
        using var session = OrtEngine.Create().Load(model.Build().ToByteArray());
        var inputs = model.CreateInputs(candidates, new DeterministicRandom(11));
        using var scores = TensorBuffer.AllocatePinned<float>(candidates, 1);

        session.Run(inputs, [new(model.OutputName, scores)]);

        var expected = model.ReferenceScores(inputs);
        var actual = scores.Span.ToArray();
        actual.Should().HaveCount(candidates);
        actual.Zip(expected, (a, e) => MathF.Abs(a - e)).Max().Should().BeLessThanOrEqualTo(1e-5f);
        expected.Should().OnlyContain(p => p > 0f && p < 1f);
        expected.Distinct().Count().Should().Be(candidates, "different candidates get different scores");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Build_SameSeed_SameBytesAndOtherSeedDiffers(string name)
    {
        var first = ReferenceModelCatalog.Create(name, seed: 3, rows: TestRows).Build().ToByteArray();
        var second = ReferenceModelCatalog.Create(name, seed: 3, rows: TestRows).Build().ToByteArray();
        var other = ReferenceModelCatalog.Create(name, seed: 4, rows: TestRows).Build().ToByteArray();

        second.Should().Equal(first);
        other.Should().NotEqual(first);
    }

    [Fact]
    public void DlrmSmall_Signature_Has13DenseAnd26SparseInputsWithSymbolicBatch()
    {
        using var session = OrtEngine.Create().Load(ReferenceModelCatalog.Create("dlrm-small", rows: TestRows).Build().ToByteArray());

        session.Inputs.Should().HaveCount(27);
        session.Inputs[0].Describe().Should().Be("Float [batch, 13]");
        session.Inputs.Skip(1).Should().OnlyContain(i => i.ElementType == TensorElementType.Int64 && i.ShapeText == "[batch]");
        session.Outputs.Single().Describe().Should().Be("Float [batch, 1]");
    }

    [Fact]
    public void DlrmV2_Weights_HaveMlperfDenseShape()
    {
        var graph = ReferenceModelCatalog.Create("dlrm-v2", rows: TestRows).Build().Graph;
        long[] Dims(string name) => [.. graph.Initializer.Single(t => t.Name == name).Dims];

        Dims("bottom.0.weight").Should().Equal(13, 512);
        Dims("bottom.2.weight").Should().Equal(256, 128);
        Dims("embedding.25").Should().Equal(TestRows, 128);
        Dims("top.0.weight").Should().Equal(128 + 27 * 26 / 2, 1024);
        Enumerable.Range(0, 5).Select(i => Dims($"top.{i}.weight")[1]).Should().Equal(1024, 1024, 512, 256, 1);
    }

    [Fact]
    public void UserCandidate_Metadata_SplitsUserAndCandidateInputs()
    {
        var model = ReferenceModelCatalog.Create("user-candidate", rows: TestRows).Build();
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

        metadata[ReferenceModelMetadata.UserInputsKey].Should().Be("user_dense,user_history");
        metadata[ReferenceModelMetadata.CandidateInputsKey].Should().Be("item_id,item_dense");
        metadata[ReferenceModelMetadata.ModelKey].Should().Be("user-candidate");
    }

    [Fact]
    public void Create_UnknownName_ListsKnownModels()
    {
        var act = () => ReferenceModelCatalog.Create("dlrm-huge");
        act.Should().Throw<ArgumentException>().WithMessage("unknown reference model 'dlrm-huge'; known models: dlrm-small, dlrm-v2, user-candidate*");
    }

    [Fact]
    public void DeterministicRandom_FixedSeed_FixedSequence()
    {
        var random = new DeterministicRandom(1);
        random.NextUInt64().Should().Be(0x910A2DEC89025CC1UL);
        new DeterministicRandom(1).NextFloat().Should().BeInRange(0f, 1f);
    }
}
