using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>Creates nodes for graph rewrites; names derive from the output so they stay unique in the graph.</summary>
internal static class Nodes
{
    public static NodeProto Create(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        // Suffix by op type: a rewrite may reuse an output name whose old producer keeps its "_node" name.
        node.Name = $"{node.Output[0]}.{opType}";
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static NodeProto Create(string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes) =>
        Create(opType, inputs, [output], attributes);

    /// <summary>The default-domain opset the model imports (0 when none).</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0 || o.Domain == "ai.onnx")?.Version ?? 0;

    /// <summary>Per-axis QuantizeLinear/DequantizeLinear and Unsqueeze with an axes input need opset 13.</summary>
    public static void RequireOpset(ModelProto model, long minimum, string why)
    {
        var opset = DefaultOpset(model);
        if (opset < minimum)
        {
            throw new ModelRejectedException($"the model imports opset {opset}; {why} needs opset {minimum} or newer");
        }
    }

    /// <summary>Adds a constant to the graph and returns its name.</summary>
    public static string AddInitializer(GraphProto graph, TensorProto tensor)
    {
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }
}
