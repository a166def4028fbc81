using System.Globalization;
using RecOperator.Crds.Models;
using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// emb-int8: every embedding table read by Gather(axis 0) is stored as int8 with one float scale per row (about 4x
/// smaller: dim bytes + 4 instead of 4·dim). After the lookup only the gathered rows are dequantized:
/// Gather(table_q, ids) → Cast → Mul(Unsqueeze(Gather(scales, ids), -1)); the rest of the graph is untouched.
/// </summary>
public sealed class EmbeddingInt8Transform : IModelTransform
{
    public string Name => "emb-int8";

    public Precision Precision => Precision.Int8;

    public TransformResult Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Nodes.RequireOpset(model, 13, "Unsqueeze with an axes input");
        var graph = model.Graph;
        var index = new GraphIndex(graph);
        var tables = new Dictionary<string, (string Q, string Scales, long Bytes)>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        var lastAxis = Nodes.AddInitializer(graph, OnnxTensors.Create("emb_int8.last_axis", new long[] { -1 }.AsSpan(), 1));
        foreach (var node in graph.Node)
        {
            if (node.OpType != "Gather" || node.Domain.Length > 0 || NodeAttributes.Int(node, "axis", 0) != 0
                || index.FloatMatrix(node.Input[0]) is not { } table)
            {
                nodes.Add(node);
                continue;
            }
            if (!tables.TryGetValue(table.Name, out var quantized))
            {
                var (values, scales) = SymmetricInt8.PerRow(WeightMatrix.From(table));
                var q = Nodes.AddInitializer(graph, OnnxTensors.Create($"{table.Name}.int8", values.AsSpan(), table.Dims[0], table.Dims[1]));
                var s = Nodes.AddInitializer(graph, OnnxTensors.Create($"{table.Name}.row_scale", scales.AsSpan(), scales.Length));
                tables[table.Name] = quantized = (q, s, table.RawData.Length);
            }
            var output = node.Output[0];
            var ids = node.Input[1];
            nodes.Add(Nodes.Create("Gather", [quantized.Q, ids], $"{output}.int8", OnnxAttributes.Int("axis", 0)));
            nodes.Add(Nodes.Create("Gather", [quantized.Scales, ids], $"{output}.row_scale", OnnxAttributes.Int("axis", 0)));
            nodes.Add(Nodes.Create("Unsqueeze", [$"{output}.row_scale", lastAxis], $"{output}.row_scale_column"));
            nodes.Add(Nodes.Create("Cast", [$"{output}.int8"], $"{output}.unscaled", OnnxAttributes.Int("to", (long)TensorProto.Types.DataType.Float)));
            nodes.Add(Nodes.Create("Mul", [$"{output}.unscaled", $"{output}.row_scale_column"], output));
        }
        if (tables.Count == 0)
        {
            throw new ModelRejectedException("emb-int8: the model has no Gather(axis 0) over a constant 2-D float table to quantize");
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        GraphIndex.RemoveUnusedInitializers(graph);
        var before = tables.Values.Sum(t => t.Bytes);
        var after = graph.Initializer.Where(t => tables.Values.Any(q => q.Q == t.Name || q.Scales == t.Name)).Sum(t => (long)t.RawData.Length);
        return new TransformResult(model, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["quantizedTables"] = tables.Count.ToString(CultureInfo.InvariantCulture),
            ["tableBytesBefore"] = before.ToString(CultureInfo.InvariantCulture),
            ["tableBytesAfter"] = after.ToString(CultureInfo.InvariantCulture),
            ["tableSizeRatio"] = ((double)before / after).ToString("F2", CultureInfo.InvariantCulture),
        });
    }
}
