using System.Globalization;
using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// w8a16: weight-only int8. Each MatMul/Gemm weight is stored as int8 with one scale per output channel and a
/// per-axis DequantizeLinear in front of the unchanged MatMul/Gemm, so activations keep their float type. An
/// accelerator that folds DequantizeLinear into its kernels reads int8 weights; a CPU dequantizes once per run.
/// </summary>
public sealed class WeightOnlyInt8Transform : IModelTransform
{
    public string Name => "w8a16";

    public Precision Precision => Precision.W8A16;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Nodes.RequireOpset(model, 13, "per-channel DequantizeLinear");
        var graph = model.Graph;
        var targets = WeightedMatMul.Find(graph, new GraphIndex(graph)).ToDictionary(t => t.Node);
        if (targets.Count == 0)
        {
            throw new ModelRejectedException("w8a16: the model has no MatMul or Gemm with a constant 2-D float weight to quantize");
        }
        var dequantized = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (targets.TryGetValue(node, out var target) && !dequantized.ContainsKey(node.Input[1]))
            {
                var name = node.Input[1];
                var matrix = WeightMatrix.From(target.Weight);
                // The output channel is axis 1 of a [K, N] weight and axis 0 of a transB=1 [N, K] weight.
                var axis = target.TransposedWeight ? 0 : 1;
                var (values, scales) = axis == 1 ? SymmetricInt8.PerColumn(matrix) : SymmetricInt8.PerRow(matrix);
                var q = Nodes.AddInitializer(graph, OnnxTensors.Create($"{name}.int8", values.AsSpan(), matrix.Rows, matrix.Columns));
                var s = Nodes.AddInitializer(graph, OnnxTensors.Create($"{name}.scale", scales.AsSpan(), scales.Length));
                var z = Nodes.AddInitializer(graph, OnnxTensors.Create($"{name}.zero_point", new sbyte[scales.Length].AsSpan(), scales.Length));
                nodes.Add(Nodes.Create("DequantizeLinear", [q, s, z], $"{name}.dequantized", OnnxAttributes.Int("axis", axis)));
                dequantized[name] = $"{name}.dequantized";
            }
            if (targets.ContainsKey(node))
            {
                node.Input[1] = dequantized[node.Input[1]];
            }
            nodes.Add(node);
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        GraphIndex.RemoveUnusedInitializers(graph);
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["quantizedWeights"] = dequantized.Count.ToString(CultureInfo.InvariantCulture),
            ["weights"] = "int8 symmetric per output channel, DequantizeLinear before each MatMul/Gemm",
            ["activations"] = "unchanged (float)",
        });
    }
}
