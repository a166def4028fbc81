using System.Globalization;
using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// int8-static: QDQ format. Each weighted MatMul/Gemm reads DequantizeLinear(QuantizeLinear(A, s_a, z_a)) with a
/// calibrated uint8 scale and zero point, and DequantizeLinear(W_s8, s_w[n], 0, axis) per output channel. ONNX
/// Runtime folds the QDQ pairs into integer kernels (QLinearMatMul / MatMulIntegerToFloat); any runtime without int8
/// kernels still runs the graph in float. Ranges come from <see cref="ActivationCalibrator"/> (min-max or percentile)
/// over <paramref name="data"/> when given (a calibration file), otherwise over seeded synthetic requests.
/// </summary>
public sealed class StaticInt8Transform(IInferenceEngine engine, int calibrationRequests, int candidates, double? percentile, CalibrationSet? data = null)
    : IModelTransform
{
    public string Name => "int8-static";

    public Precision Precision => Precision.Int8;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Nodes.RequireOpset(model, 13, "per-channel DequantizeLinear");
        var graph = model.Graph;
        var targets = WeightedMatMul.Find(graph, new GraphIndex(graph));
        if (targets.Count == 0)
        {
            throw new ModelRejectedException("int8-static: the model has no MatMul or Gemm with a constant 2-D float weight to quantize");
        }
        var activations = targets.Select(t => t.Node.Input[0]).Distinct(StringComparer.Ordinal).ToList();
        var calibration = data ?? CalibrationSet.Synthetic(Fidelity.InputSpecs.Of(model), calibrationRequests, candidates);
        var ranges = ActivationCalibrator.Ranges(model, activations, engine, calibration.Requests, percentile, CancellationToken.None);
        var byNode = targets.ToDictionary(t => t.Node);
        var quantized = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (byNode.TryGetValue(node, out var target))
            {
                var a = node.Input[0];
                if (!quantized.TryGetValue(a, out var dq))
                {
                    var (scale, zeroPoint) = UInt8Range(ranges[a]);
                    var s = Nodes.AddInitializer(graph, OnnxTensors.Create($"{a}.act_scale", new[] { scale }.AsSpan()));
                    var z = Nodes.AddInitializer(graph, OnnxTensors.Create($"{a}.act_zero_point", new[] { zeroPoint }.AsSpan()));
                    nodes.Add(Nodes.Create("QuantizeLinear", [a, s, z], $"{a}.q"));
                    nodes.Add(Nodes.Create("DequantizeLinear", [$"{a}.q", s, z], dq = $"{a}.dq"));
                    quantized[a] = dq;
                }
                var w = node.Input[1];
                var matrix = WeightMatrix.From(target.Weight);
                var axis = target.TransposedWeight ? 0 : 1;
                var (values, scales) = axis == 1 ? SymmetricInt8.PerColumn(matrix) : SymmetricInt8.PerRow(matrix);
                var wq = Nodes.AddInitializer(graph, OnnxTensors.Create($"{w}.int8", values.AsSpan(), matrix.Rows, matrix.Columns));
                var ws = Nodes.AddInitializer(graph, OnnxTensors.Create($"{w}.scale", scales.AsSpan(), scales.Length));
                var wz = Nodes.AddInitializer(graph, OnnxTensors.Create($"{w}.zero_point", new sbyte[scales.Length].AsSpan(), scales.Length));
                nodes.Add(Nodes.Create("DequantizeLinear", [wq, ws, wz], $"{w}.dq", OnnxAttributes.Int("axis", axis)));
                node.Input[0] = dq;
                node.Input[1] = $"{w}.dq";
            }
            nodes.Add(node);
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        GraphIndex.RemoveUnusedInitializers(graph);
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["quantizedMatMuls"] = targets.Count.ToString(CultureInfo.InvariantCulture),
            ["calibration"] = percentile is { } p ? $"percentile {p.ToString(CultureInfo.InvariantCulture)}" : "min-max",
            ["calibrationData"] = calibration.Description,
            ["weights"] = "int8 symmetric per output channel (QDQ)",
            ["activations"] = "uint8 per tensor, calibrated (QDQ)",
        });
    }

    // Asymmetric uint8 over a range that always contains 0, so zero (ReLU outputs, padding) is exact.
    private static (float Scale, byte ZeroPoint) UInt8Range((float Min, float Max) range)
    {
        var min = Math.Min(0f, range.Min);
        var max = Math.Max(0f, range.Max);
        var scale = max > min ? (max - min) / 255f : 1f;
        return (scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0f, 255f));
    }
}
