using RecOperator.ModelOptimizer.Fp16;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>fp16: what --keep-io-fp32 keeps at the edges and what --block-ops keeps in float32 inside.</summary>
public sealed class Fp16Tests
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Half = (int)TensorProto.Types.DataType.Float16;

    [Fact]
    public async Task Apply_KeepIoFp32_GraphAndSessionInputsAndOutputsStayFloat32()
    {
        using var folder = new TempFolder();
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("user-candidate"));

        var result = new Fp16Transform(keepIoFp32: true, new HashSet<string>()).Apply(model).Model;

        ElementType(result.Graph.Input, "user_dense").Should().Be(Float);
        ElementType(result.Graph.Input, "item_dense").Should().Be(Float);
        ElementType(result.Graph.Output, "score").Should().Be(Float);
        result.Graph.Node.Should().Contain(n => n.OpType == "Cast" && n.Input[0] == "user_dense" && CastTarget(n) == Half, "the edge Cast into fp16");
        result.Graph.Node.Should().ContainSingle(n => n.Output.Contains("score")).Which.Should().Match<NodeProto>(n => n.OpType == "Cast" && CastTarget(n) == Float);
        result.Graph.Initializer.Where(t => t.DataType == Float).Should().BeEmpty("every float weight is float16 inside");
        OnnxModelFiles.Write(result, folder.File("m.onnx"));
        using var session = OrtEngine.Create().Load(folder.File("m.onnx"));
        session.Inputs.Where(i => i.Name.EndsWith("_dense", StringComparison.Ordinal)).Should().OnlyContain(i => i.ElementType == TensorElementType.Float);
        session.Outputs.Should().ContainSingle().Which.ElementType.Should().Be(TensorElementType.Float);
    }

    [Fact]
    public async Task Apply_WithoutKeepIo_InputsAndOutputsBecomeFloat16()
    {
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("user-candidate"));

        var result = new Fp16Transform(keepIoFp32: false, new HashSet<string>()).Apply(model).Model;

        ElementType(result.Graph.Input, "user_dense").Should().Be(Half);
        ElementType(result.Graph.Output, "score").Should().Be(Half);
    }

    [Fact]
    public async Task Apply_BlockedReduceMean_RunsInFloat32BetweenCastsAndLoads()
    {
        using var folder = new TempFolder();
        var model = OnnxModelFiles.Read(await ModelFixtures.PathAsync("user-candidate"));

        var transformed = new Fp16Transform(keepIoFp32: true, new HashSet<string> { "ReduceMean" }).Apply(model);

        var nodes = transformed.Model.Graph.Node;
        transformed.Summary["blockedNodes"].Should().Be("1");
        var reduce = nodes.Should().ContainSingle(n => n.OpType == "ReduceMean").Which;
        var into = nodes.Single(n => n.Output.Contains(reduce.Input[0]));
        into.OpType.Should().Be("Cast");
        CastTarget(into).Should().Be(Float, "the history embeddings are widened to float32 before the mean");
        nodes.Single(n => n.Output.Contains(into.Input[0])).OpType.Should().Be("Gather", "the lookup itself reads the float16 table");
        var after = nodes.Where(n => n.Input.Contains(reduce.Output[0])).Should().ContainSingle().Which;
        after.OpType.Should().Be("Cast");
        CastTarget(after).Should().Be(Half, "the mean goes back to float16 for the rest of the graph");
        OnnxModelFiles.Write(transformed.Model, folder.File("m.onnx"));
        using var session = OrtEngine.Create().Load(folder.File("m.onnx"));
        session.Outputs.Should().ContainSingle();
    }

    private static int ElementType(IEnumerable<ValueInfoProto> values, string name) => values.Single(v => v.Name == name).Type.TensorType.ElemType;

    private static long CastTarget(NodeProto cast) => cast.Attribute.Single(a => a.Name == "to").I;
}
