using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>
/// The element type of every tensor of a float model, inferred forward through the graph: inputs and initializers
/// declare theirs, Cast gives its "to", shape-like ops give int64, and everything else (the arithmetic, Gather,
/// Concat, Reshape ...) has the type of its first typed input. That rule is exact for the ops recommendation models use.
/// </summary>
internal static class ElementTypes
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Int64 = (int)TensorProto.Types.DataType.Int64;
    private const int Int32 = (int)TensorProto.Types.DataType.Int32;
    private const int UInt8 = (int)TensorProto.Types.DataType.Uint8;

    public static Dictionary<string, int> Infer(GraphProto graph, bool rejectQuantized = true)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            types[input.Name] = input.Type?.TensorType?.ElemType ?? 0;
        }
        foreach (var tensor in graph.Initializer)
        {
            types[tensor.Name] = tensor.DataType;
        }
        foreach (var node in graph.Node)
        {
            if (rejectQuantized && (node.OpType is "DynamicQuantizeLinear" or "QuantizeLinear" or "DequantizeLinear" or "MatMulInteger" || node.Domain.Length > 0))
            {
                throw new ModelRejectedException($"fp16 converts float models; {NodeAttributes.Describe(node)} is already quantized or a contrib op");
            }
            var type = node.OpType switch
            {
                "Cast" => (int)NodeAttributes.Int(node, "to", 0),
                "MatMulInteger" => Int32,
                "DequantizeLinear" => Float,
                "QuantizeLinear" => types.GetValueOrDefault(node.Input.ElementAtOrDefault(2) ?? string.Empty, UInt8),
                "Shape" or "Size" or "NonZero" or "ArgMax" or "ArgMin" => Int64,
                "Constant" => node.Attribute.FirstOrDefault(a => a.Name == "value")?.T?.DataType ?? Float,
                _ => node.Input.Where(i => i.Length > 0).Select(i => types.GetValueOrDefault(i)).FirstOrDefault(t => t != 0),
            };
            if (node.OpType == "DynamicQuantizeLinear" && node.Output.Count == 3)
            {
                (types[node.Output[0]], types[node.Output[1]], types[node.Output[2]]) = (UInt8, Float, UInt8);
                continue;
            }
            foreach (var output in node.Output)
            {
                types[output] = type;
            }
        }
        return types;
    }
}
