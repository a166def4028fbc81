using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pruning;

/// <summary>
/// Two dense layers with hidden units between them: First (MatMul/Gemm, W1 [K, H], optional bias [H]) → optional
/// Relu → Second (MatMul/Gemm, W2 [H, M]), nothing else reading the hidden tensors. Removing hidden unit h removes
/// column h of W1, entry h of the bias and row h of W2, and leaves a smaller dense pair computing the rest exactly.
/// </summary>
internal sealed record HiddenLayerPair(NodeProto First, NodeProto Second)
{
    public static IReadOnlyList<HiddenLayerPair> Find(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var pairs = new List<HiddenLayerPair>();
        foreach (var first in graph.Node.Where(n => IsPlainDense(n, index)))
        {
            var hidden = first.Output[0];
            if (index.Consumers(hidden) is [{ OpType: "Relu" } relu])
            {
                hidden = relu.Output[0];
            }
            if (index.Consumers(hidden) is [var second] && IsPlainDense(second, index) && second.Input[0] == hidden
                && graph.Output.All(o => o.Name != hidden && o.Name != first.Output[0]))
            {
                pairs.Add(new HiddenLayerPair(first, second));
            }
        }
        return pairs;
    }

    // A layer whose weight can be sliced directly: constant [in, out] weight, and for Gemm no transposes or scaling.
    private static bool IsPlainDense(NodeProto node, GraphIndex index) =>
        node.OpType is "MatMul" or "Gemm" && node.Domain.Length == 0 && node.Input.Count >= 2 && index.FloatMatrix(node.Input[1]) is not null
        && (node.OpType == "MatMul" || (NodeAttributes.Int(node, "transA", 0) == 0 && NodeAttributes.Int(node, "transB", 0) == 0
            && NodeAttributes.Float(node, "alpha", 1f) == 1f && NodeAttributes.Float(node, "beta", 1f) == 1f));
}
