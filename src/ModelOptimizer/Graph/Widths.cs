using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>
/// The last dimension of rank-2 activations where the graph fixes it: fixed input dims, weight and table widths, and
/// ops that keep or concatenate it. Enough to split a Concat feeding a MatMul; null where it is not known statically.
/// </summary>
internal static class Widths
{
    public static Dictionary<string, long> Infer(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var widths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (input.Type?.TensorType?.Shape?.Dim is { Count: 2 } dims && dims[1].HasDimValue)
            {
                widths[input.Name] = dims[1].DimValue;
            }
        }
        foreach (var node in graph.Node)
        {
            long? width = node.OpType switch
            {
                "MatMul" or "Gemm" when index.FloatMatrix(node.Input[1]) is { } w =>
                    node.OpType == "Gemm" && NodeAttributes.Int(node, "transB", 0) != 0 ? w.Dims[0] : w.Dims[1],
                // int8-dynamic's MatMulInteger over an int8 constant weight [k, n] (docs/optimizer.md).
                "MatMulInteger" when index.Initializer(node.Input[1]) is { Dims.Count: 2 } q => q.Dims[1],
                "Gather" when NodeAttributes.Int(node, "axis", 0) == 0 && index.Initializer(node.Input[0]) is { Dims.Count: 2 } table => table.Dims[1],
                "Relu" or "Sigmoid" or "Tanh" or "Cast" or "Expand" =>
                    widths.TryGetValue(node.Input[0], out var same) ? same : null,
                // A broadcasting binary op keeps the width of its rank-2 side, which may be either input (int8-dynamic
                // rescales with Mul(scale, product) as well as Mul(product, scale)).
                "Add" or "Mul" or "Sub" => node.Input.Select(i => widths.TryGetValue(i, out var w) ? w : (long?)null).FirstOrDefault(w => w is not null),
                "Concat" when NodeAttributes.Int(node, "axis", 0) is 1 or -1 && node.Input.All(widths.ContainsKey) =>
                    node.Input.Sum(i => widths[i]),
                _ => null,
            };
            if (width is { } known)
            {
                widths[node.Output[0]] = known;
            }
        }
        return widths;
    }
}
