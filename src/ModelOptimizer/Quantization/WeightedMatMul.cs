using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Quantization;

/// <summary>
/// A MatMul or Gemm whose second input is a constant 2-D float weight: the nodes weight quantization rewrites.
/// MatMuls of two activations (DLRM's interaction) are not weights and are left alone.
/// </summary>
internal sealed record WeightedMatMul(NodeProto Node, TensorProto Weight, bool TransposedWeight, string? Bias)
{
    /// <summary>The weighted MatMul/Gemm nodes of the graph; a Gemm whose attributes cannot be rewritten is rejected by name.</summary>
    public static IReadOnlyList<WeightedMatMul> Find(GraphProto graph, GraphIndex index)
    {
        var found = new List<WeightedMatMul>();
        foreach (var node in graph.Node.Where(n => n.OpType is "MatMul" or "Gemm" && n.Domain.Length == 0))
        {
            if (node.Input.Count < 2 || index.FloatMatrix(node.Input[1]) is not { } weight)
            {
                continue;
            }
            if (node.OpType == "MatMul")
            {
                found.Add(new WeightedMatMul(node, weight, false, null));
                continue;
            }
            if (NodeAttributes.Int(node, "transA", 0) != 0 || NodeAttributes.Float(node, "alpha", 1f) != 1f || NodeAttributes.Float(node, "beta", 1f) != 1f)
            {
                throw new ModelRejectedException(
                    $"cannot quantize {NodeAttributes.Describe(node)}: only Gemm with transA=0, alpha=1 and beta=1 is supported");
            }
            var bias = node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
            found.Add(new WeightedMatMul(node, weight, NodeAttributes.Int(node, "transB", 0) != 0, bias));
        }
        return found;
    }

    /// <summary>The weight as [K, N] (input features by output channels), transposed back when the Gemm had transB=1.</summary>
    public WeightMatrix KByN()
    {
        var matrix = WeightMatrix.From(Weight);
        return TransposedWeight ? matrix.Transposed() : matrix;
    }
}
