using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.Onnx.Tests;

/// <summary>Small models built with the project's own graph builder, for binding tests.</summary>
internal static class TestModels
{
    /// <summary>score = Relu(dense · W + table[ids]) with dense [batch, 4] float and ids [batch] int64; W = 1, table[i] = i.</summary>
    public static ModelProto DenseAndIds()
    {
        var g = new OnnxGraphBuilder("dense_and_ids")
            .Input("dense", TensorElementType.Float, "batch", 4)
            .Input("ids", TensorElementType.Int64, "batch")
            .Output("score", TensorElementType.Float, "batch", 1);
        var w = g.Initializer("w", Enumerable.Repeat(1f, 4).ToArray().AsSpan(), 4, 1);
        var table = g.Initializer("table", Enumerable.Range(0, 10).Select(i => (float)i).ToArray().AsSpan(), 10, 1);
        var projected = g.Node("MatMul", ["dense", w]);
        var looked = g.Node("Gather", [table, "ids"], OnnxAttributes.Int("axis", 0));
        var sum = g.Node("Add", [projected, looked]);
        g.NodeNamed("Relu", "score", [sum]);
        return g.Build("tests");
    }

    /// <summary>out = Identity(in) for one element type, shape [batch, 3].</summary>
    public static ModelProto Identity(TensorElementType type)
    {
        var g = new OnnxGraphBuilder("identity")
            .Input("in", type, "batch", 3)
            .Output("out", type, "batch", 3);
        g.NodeNamed("Identity", "out", ["in"]);
        return g.Build("tests");
    }

    /// <summary>A chain of large MatMuls that takes long enough on one thread to be cancelled mid-run.</summary>
    public static ModelProto Slow(int layers, int width)
    {
        var g = new OnnxGraphBuilder("slow")
            .Input("x", TensorElementType.Float, "batch", width)
            .Output("y", TensorElementType.Float, "batch", width);
        var w = g.Initializer("w", Enumerable.Repeat(1f / width, width * width).ToArray().AsSpan(), width, width);
        var current = "x";
        for (var i = 0; i < layers; i++)
        {
            current = i == layers - 1 ? g.NodeNamed("MatMul", "y", [current, w]) : g.Node("MatMul", [current, w]);
        }
        return g.Build("tests");
    }

    public static byte[] Bytes(ModelProto model) => Google.Protobuf.MessageExtensions.ToByteArray(model);
}
