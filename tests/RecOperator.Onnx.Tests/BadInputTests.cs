using RecOperator.Onnx.Model;

namespace RecOperator.Onnx.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly IInferenceSession _session = OrtEngine.Create().Load(TestModels.Bytes(TestModels.DenseAndIds()));
    private readonly TensorBuffer<float> _score = TensorBuffer.AllocatePinned<float>(2, 1);

    public void Dispose()
    {
        _session.Dispose();
        _score.Dispose();
    }

    [Fact]
    public void Run_WrongElementType_NamesInputExpectedAndActual()
    {
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new double[8], 2, 4)),
            new("ids", TensorBuffer.Over(new long[2], 2))], [new("score", _score)]);
        var error = act.Should().Throw<InferenceInputException>().Which;
        error.Message.Should().Be("input 'dense': expected element type Float, got Double");
        (error.TensorName, error.Expected, error.Actual).Should().Be(("dense", "Float", "Double"));
    }

    [Fact]
    public void Run_WrongShape_NamesInputExpectedAndActual()
    {
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new float[6], 2, 3)),
            new("ids", TensorBuffer.Over(new long[2], 2))], [new("score", _score)]);
        act.Should().Throw<InferenceInputException>().WithMessage("input 'dense': expected shape [batch, 4], got [2, 3]");
    }

    [Fact]
    public void Run_MissingInput_NamesItAndItsExpectedType()
    {
        var act = () => _session.Run([new("dense", TensorBuffer.Over(new float[8], 2, 4))], [new("score", _score)]);
        act.Should().Throw<InferenceInputException>().WithMessage("input 'ids' is missing (expected Int64 [batch])");
    }

    [Fact]
    public void Run_UnknownInputName_ListsTheModelsInputs()
    {
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new float[8], 2, 4)),
            new("idz", TensorBuffer.Over(new long[2], 2))], [new("score", _score)]);
        act.Should().Throw<InferenceInputException>().WithMessage("input 'idz' is not an input of this model; its inputs are: dense, ids");
    }

    [Fact]
    public void Run_OutputBufferOfWrongShape_NamesTheOutput()
    {
        using var wrong = TensorBuffer.AllocatePinned<float>(2, 2);
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new float[8], 2, 4)),
            new("ids", TensorBuffer.Over(new long[2], 2))], [new("score", wrong)]);
        act.Should().Throw<InferenceInputException>().WithMessage("output 'score': expected shape [batch, 1], got [2, 2]");
    }

    [Fact]
    public void Run_BatchSizesDisagree_OrtErrorCarriesCodeAndMessage()
    {
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new float[8], 2, 4)),
            new("ids", TensorBuffer.Over(new long[3], 3))], [new("score", _score)]);
        var error = act.Should().Throw<OrtException>().Which;
        error.Code.Should().NotBe(OrtErrorCode.Ok);
        error.Message.Should().StartWith("run failed: ONNX Runtime ");
        error.OrtMessage.Should().NotBeEmpty();
    }

    [Fact]
    public void Run_IdOutsideTable_OrtErrorInsteadOfCrash()
    {
        var act = () => _session.Run([
            new("dense", TensorBuffer.Over(new float[8], 2, 4)),
            new("ids", TensorBuffer.Over(new long[] { 0, 99 }, 2))], [new("score", _score)]);
        act.Should().Throw<OrtException>().Which.OrtMessage.Should().Contain("out of data bounds");
    }

    [Fact]
    public void Load_CorruptFile_ClearOrtErrorNamingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.onnx"), "this is not a protobuf model at all");
        var act = () => OrtEngine.Create().Load(folder.File("bad.onnx"));
        var error = act.Should().Throw<OrtException>().Which;
        error.Message.Should().Contain("cannot load ONNX model").And.Contain("bad.onnx");
        error.Code.Should().BeOneOf(OrtErrorCode.InvalidProtobuf, OrtErrorCode.Fail, OrtErrorCode.InvalidGraph);
    }

    [Fact]
    public void Load_TruncatedModelBytes_ClearOrtError()
    {
        var bytes = TestModels.Bytes(TestModels.DenseAndIds());
        var act = () => OrtEngine.Create().Load(bytes.AsSpan(0, bytes.Length / 2));
        act.Should().Throw<OrtException>().WithMessage("cannot load ONNX model from*");
    }

    [Fact]
    public void Load_EmptyOrMissingFile_ClearErrors()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("empty.onnx"), []);
        var engine = OrtEngine.Create();
        engine.Invoking(e => e.Load(folder.File("empty.onnx"))).Should().Throw<InvalidDataException>().WithMessage("*empty*");
        engine.Invoking(e => e.Load(folder.File("none.onnx"))).Should().Throw<FileNotFoundException>().WithMessage("*none.onnx*does not exist*");
    }

    [Fact]
    public void ReadModel_NonOnnxFile_InvalidDataNamingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("junk.onnx"), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        var act = () => OnnxModelFiles.Read(folder.File("junk.onnx"));
        act.Should().Throw<InvalidDataException>().WithMessage("*junk.onnx*is not an ONNX model*");
    }
}
