using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// Small models whose first dimension is not independent rows (what listwise re-rankers do), beside a row-wise one,
/// written once per test run.
/// </summary>
internal static class ListwiseModels
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "recpod-tests-" + Environment.ProcessId, "listwise");

    /// <summary>y = Softmax(x, axis 0) over x ['N', 1]: every row's answer depends on the other rows.</summary>
    public static string SoftmaxOverRows() => Write("softmax-rows", graph =>
    {
        graph.Input("x", TensorElementType.Float, "N", 1).Output("y", TensorElementType.Float, "N", 1);
        graph.NodeNamed("Softmax", "y", ["x"], OnnxAttributes.Int("axis", 0));
    });

    /// <summary>y = Softmax(x, axis 1) over x ['N', 3]: row-wise, so requests may be joined.</summary>
    public static string SoftmaxWithinRows() => Write("softmax-within", graph =>
    {
        graph.Input("x", TensorElementType.Float, "N", 3).Output("y", TensorElementType.Float, "N", 3);
        graph.NodeNamed("Softmax", "y", ["x"], OnnxAttributes.Int("axis", 1));
    });

    /// <summary>values = TopK(x, k, axis 0) over x ['N', 1]: the output's first dimension is 'K', not the rows.</summary>
    public static string TopRows(long k) => Write($"top{k}-rows", graph =>
    {
        graph.Input("x", TensorElementType.Float, "N", 1).Output("values", TensorElementType.Float, "K", 1);
        graph.Initializer<long>("k", [k], 1);
    }, model =>
    {
        var node = new NodeProto { OpType = "TopK", Name = "topk_node" };
        node.Input.AddRange(["x", "k"]);
        node.Output.AddRange(["values", "indices"]);
        node.Attribute.Add(OnnxAttributes.Int("axis", 0));
        model.Graph.Node.Add(node);
    });

    /// <summary>y = x * scale with scale a scalar input (rank 0), or one without any declared shape when <paramref name="unknownRank"/>.</summary>
    public static string ScaledByScalar(bool unknownRank) => Write(unknownRank ? "scaled-unknown-rank" : "scaled-scalar", graph =>
    {
        graph.Input("x", TensorElementType.Float, "N", 1).Input("scale", TensorElementType.Float).Output("y", TensorElementType.Float, "N", 1);
        graph.NodeNamed("Mul", "y", ["x", "scale"]);
    }, model =>
    {
        if (unknownRank)
        {
            model.Graph.Input.Single(i => i.Name == "scale").Type.TensorType.Shape = null;
        }
    });

    /// <summary>One request's JSON-ready input: <paramref name="values"/> as x of shape [rows, width].</summary>
    public static NamedTensor[] Rows(float[] values, long width = 1) =>
        [new NamedTensor("x", TensorBuffer.Over((float[])values.Clone(), values.Length / width, width))];

    private static string Write(string name, Action<OnnxGraphBuilder> build, Action<ModelProto>? edit = null)
    {
        var graph = new OnnxGraphBuilder(name);
        build(graph);
        var model = graph.Build("tests");
        edit?.Invoke(model);
        var path = Path.Combine(Folder, name + ".onnx");
        Directory.CreateDirectory(Folder);
        OnnxModelFiles.Write(model, path);
        return path;
    }
}
