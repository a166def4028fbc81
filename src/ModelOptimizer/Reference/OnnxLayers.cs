using RecOperator.Onnx.Model;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>Writes dense layers into an ONNX graph as Gemm (+ Relu) nodes.</summary>
internal static class OnnxLayers
{
    public static string Dense(OnnxGraphBuilder graph, string input, DenseLayer layer, string name, bool relu)
    {
        var w = graph.Initializer($"{name}.weight", layer.Weights.AsSpan(), layer.In, layer.Out);
        var b = graph.Initializer($"{name}.bias", layer.Bias.AsSpan(), layer.Out);
        var y = graph.Node("Gemm", [input, w, b]);
        return relu ? graph.Node("Relu", [y]) : y;
    }

    public static string Mlp(OnnxGraphBuilder graph, string input, IReadOnlyList<DenseLayer> layers, string name, bool reluOnLast)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            input = Dense(graph, input, layers[i], $"{name}.{i}", relu: reluOnLast || i < layers.Count - 1);
        }
        return input;
    }

    public static string Int64Constant(OnnxGraphBuilder graph, string name, params long[] values) =>
        graph.Initializer(name, values.AsSpan(), values.Length);
}
