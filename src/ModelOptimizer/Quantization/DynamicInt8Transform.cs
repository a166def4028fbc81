using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// int8-dynamic: every weighted MatMul/Gemm becomes DynamicQuantizeLinear(A) → MatMulInteger(A_u8, W_s8) → Cast →
/// Mul(a_scale · w_scale[n]) (+ bias). Weights are int8 per output channel, activations uint8 per tensor, quantized at
/// run time. Standard ops only (onnx 1.12's checker accepts them); ONNX Runtime fuses this exact chain into its
/// DynamicQuantizeMatMul / MatMulIntegerToFloat kernels (u8s8, VNNI on AVX-512 CPUs).
/// </summary>
public sealed class DynamicInt8Transform : IModelTransform
{
    public string Name => "int8-dynamic";

    public Precision Precision => Precision.Int8;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var targets = WeightedMatMul.Find(graph, new GraphIndex(graph)).ToDictionary(t => t.Node);
        if (targets.Count == 0)
        {
            throw new ModelRejectedException("int8-dynamic: the model has no MatMul or Gemm with a constant 2-D float weight to quantize");
        }
        var quantizedActivations = new Dictionary<string, (string Q, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (!targets.TryGetValue(node, out var target))
            {
                nodes.Add(node);
                continue;
            }
            var a = node.Input[0];
            if (!quantizedActivations.TryGetValue(a, out var qa))
            {
                // One DynamicQuantizeLinear per activation, shared by every MatMul that reads it.
                qa = ($"{a}.quantized", $"{a}.scale", $"{a}.zero_point");
                nodes.Add(Nodes.Create("DynamicQuantizeLinear", [a], [qa.Q, qa.Scale, qa.ZeroPoint]));
                quantizedActivations[a] = qa;
            }
            var w = target.KByN();
            var (values, scales) = SymmetricInt8.PerColumn(w);
            var output = node.Output[0];
            var wq = Nodes.AddInitializer(graph, OnnxTensors.Create($"{node.Input[1]}.int8", values.AsSpan(), w.Rows, w.Columns));
            var ws = Nodes.AddInitializer(graph, OnnxTensors.Create($"{node.Input[1]}.scale", scales.AsSpan(), w.Columns));
            nodes.Add(Nodes.Create("MatMulInteger", [qa.Q, wq, qa.ZeroPoint], $"{output}.int32"));
            nodes.Add(Nodes.Create("Cast", [$"{output}.int32"], $"{output}.unscaled", OnnxAttributes.Int("to", (long)TensorProto.Types.DataType.Float)));
            nodes.Add(Nodes.Create("Mul", [qa.Scale, ws], $"{output}.scale"));
            var scaled = target.Bias is null ? output : $"{output}.scaled";
            nodes.Add(Nodes.Create("Mul", [$"{output}.unscaled", $"{output}.scale"], scaled));
            if (target.Bias is { } bias)
            {
                nodes.Add(Nodes.Create("Add", [scaled, bias], output));
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        GraphIndex.RemoveUnusedInitializers(graph);
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["quantizedMatMuls"] = targets.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["weights"] = "int8 symmetric per output channel",
            ["activations"] = "uint8 per tensor, quantized at run time",
        });
    }
}
