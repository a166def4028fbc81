using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.Onnx.Tests;

public sealed class ModelFilesTests
{
    [Fact]
    public void WriteThenRead_InlineData_SameModel()
    {
        using var folder = new TempFolder();
        var model = TestModels.DenseAndIds();
        OnnxModelFiles.Write(model, folder.File("m.onnx"));

        var read = OnnxModelFiles.Read(folder.File("m.onnx"));

        read.Should().Be(model);
        read.IrVersion.Should().Be(8);
        read.OpsetImport.Single().Version.Should().Be(17);
        OnnxTensors.Read<float>(read.Graph.Initializer.Single(t => t.Name == "table")).Should().Equal(Enumerable.Range(0, 10).Select(i => (float)i));
    }

    [Fact]
    public void Write_WithExternalData_SideFileHoldsWeightsAndOrtLoadsIt()
    {
        using var folder = new TempFolder();
        var model = TestModels.DenseAndIds();
        OnnxModelFiles.Write(model, folder.File("m.onnx"), externalDataThresholdBytes: 16);

        var raw = ModelProto.Parser.ParseFrom(File.ReadAllBytes(folder.File("m.onnx")));
        var table = raw.Graph.Initializer.Single(t => t.Name == "table");
        table.DataLocation.Should().Be(TensorProto.Types.DataLocation.External);
        table.HasRawData.Should().BeFalse();
        table.ExternalData.Select(e => e.Key).Should().Equal("location", "offset", "length");
        new FileInfo(folder.File("m.onnx.data")).Length.Should().Be(40 + 16);
        OnnxModelFiles.Read(folder.File("m.onnx")).Should().Be(model);

        using var session = OrtEngine.Create().Load(folder.File("m.onnx"));
        var outputs = session.Run([
            new("dense", TensorBuffer.Over(new float[] { 0, 0, 0, 0 }, 1, 4)),
            new("ids", TensorBuffer.Over(new long[] { 9 }, 1))]);
        ((TensorBuffer<float>)outputs[0].Tensor).Span[0].Should().Be(9f);
    }

    [Fact]
    public void Create_ValuesNotFillingDims_NamesTheTensor()
    {
        var act = () => OnnxTensors.Create("w", new float[3].AsSpan(), 2, 2);
        act.Should().Throw<ArgumentException>().WithMessage("tensor 'w': 3 values do not fill dims [2, 2]*");
    }
}
