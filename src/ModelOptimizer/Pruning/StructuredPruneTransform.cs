using System.Globalization;
using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pruning;

/// <summary>
/// prune --sparsity S: in every hidden layer between two dense layers, drops the fraction S of hidden units with the
/// smallest ‖W1[:, h]‖₂·‖W2[h, :]‖₂ (how much signal can flow through the unit) and slices the adjacent weights, so
/// the result is a smaller dense model that every runtime runs faster without sparse kernels.
/// </summary>
public sealed class StructuredPruneTransform(double sparsity) : IModelTransform
{
    public string Name => "pruned-" + Math.Round(sparsity * 100).ToString(CultureInfo.InvariantCulture);

    public Precision Precision => Precision.Fp32;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(sparsity > 0 && sparsity < 1))
        {
            throw new ModelRejectedException($"--sparsity must be between 0 and 1 (exclusive), got {sparsity.ToString(CultureInfo.InvariantCulture)}");
        }
        var graph = model.Graph;
        var pairs = HiddenLayerPair.Find(graph);
        if (pairs.Count == 0)
        {
            throw new ModelRejectedException("prune: the model has no hidden layer between two dense (MatMul/Gemm) layers");
        }
        var (paramsBefore, flopsBefore) = Cost(graph);
        var tensors = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var removed = 0L;
        foreach (var pair in pairs)
        {
            var w1 = WeightMatrix.From(tensors[pair.First.Input[1]]);
            var w2 = WeightMatrix.From(tensors[pair.Second.Input[1]]);
            var keep = KeptUnits(w1, w2);
            removed += w1.Columns - keep.Length;
            Replace(graph, tensors, pair.First.Input[1], Columns(w1, keep), w1.Rows, keep.Length);
            if (pair.First.OpType == "Gemm" && pair.First.Input.Count > 2 && tensors.TryGetValue(pair.First.Input[2], out var bias) && bias.Dims.Count == 1)
            {
                var values = OnnxTensors.Read<float>(bias);
                Replace(graph, tensors, bias.Name, keep.Select(h => values[h]).ToArray(), keep.Length);
            }
            Replace(graph, tensors, pair.Second.Input[1], keep.SelectMany(h => w2.Values.Skip(h * w2.Columns).Take(w2.Columns)).ToArray(), keep.Length, w2.Columns);
        }
        // Declared intermediate shapes would now be wrong; ONNX Runtime infers them.
        graph.ValueInfo.Clear();
        var (paramsAfter, flopsAfter) = Cost(graph);
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sparsity"] = sparsity.ToString("F2", CultureInfo.InvariantCulture),
            ["prunedHiddenLayers"] = pairs.Count.ToString(CultureInfo.InvariantCulture),
            ["removedHiddenUnits"] = removed.ToString(CultureInfo.InvariantCulture),
            ["parametersBefore"] = paramsBefore.ToString(CultureInfo.InvariantCulture),
            ["parametersAfter"] = paramsAfter.ToString(CultureInfo.InvariantCulture),
            ["denseFlopsPerRowBefore"] = flopsBefore.ToString(CultureInfo.InvariantCulture),
            ["denseFlopsPerRowAfter"] = flopsAfter.ToString(CultureInfo.InvariantCulture),
        });
    }

    private int[] KeptUnits(WeightMatrix w1, WeightMatrix w2)
    {
        var scores = new double[w1.Columns];
        for (var h = 0; h < w1.Columns; h++)
        {
            double inbound = 0, outbound = 0;
            for (var k = 0; k < w1.Rows; k++)
            {
                inbound += (double)w1[k, h] * w1[k, h];
            }
            for (var m = 0; m < w2.Columns; m++)
            {
                outbound += (double)w2[h, m] * w2[h, m];
            }
            scores[h] = Math.Sqrt(inbound * outbound);
        }
        var keepCount = Math.Max(1, (int)Math.Round(w1.Columns * (1 - sparsity)));
        // Kept units stay in their original order, so the sliced layers line up.
        return [.. Enumerable.Range(0, w1.Columns).OrderByDescending(h => scores[h]).ThenBy(h => h).Take(keepCount).Order()];
    }

    private static float[] Columns(WeightMatrix w, int[] keep)
    {
        var values = new float[w.Rows * keep.Length];
        for (var r = 0; r < w.Rows; r++)
        {
            for (var c = 0; c < keep.Length; c++)
            {
                values[(r * keep.Length) + c] = w[r, keep[c]];
            }
        }
        return values;
    }

    private static void Replace(GraphProto graph, Dictionary<string, TensorProto> tensors, string name, float[] values, params long[] dims)
    {
        var tensor = OnnxTensors.Create(name, values.AsSpan(), dims);
        graph.Initializer[graph.Initializer.IndexOf(tensors[name])] = tensor;
        tensors[name] = tensor;
    }

    /// <summary>Float parameters, and multiply-adds ×2 of the constant-weight MatMul/Gemm layers for one input row.</summary>
    public static (long Parameters, long FlopsPerRow) Cost(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var index = new GraphIndex(graph);
        var parameters = graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        var flops = graph.Node.Where(n => n.OpType is "MatMul" or "Gemm" && n.Input.Count >= 2)
            .Select(n => index.FloatMatrix(n.Input[1])).Where(w => w is not null).Sum(w => 2 * w!.Dims[0] * w.Dims[1]);
        return (parameters, flops);
    }
}
