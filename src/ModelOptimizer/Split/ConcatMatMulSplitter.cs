using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>
/// Rewrites Concat([u…, c…]) → MatMul/Gemm(W, b) as Σ u_i·W_i + b (user part, computed once per request) plus
/// Σ c_j·W_j (candidate part), W_i being W's rows for input i. A user part fed through Expand/Tile to the candidate
/// count is taken before the broadcast, so the user model keeps one row and Add broadcasts it over candidates.
/// </summary>
internal static class ConcatMatMulSplitter
{
    /// <returns>How many Concat→MatMul/Gemm pairs were split.</returns>
    public static int Rewrite(GraphProto graph, IReadOnlySet<string> userTensors)
    {
        var index = new GraphIndex(graph);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var widths = Widths.Infer(graph);
        var split = 0;
        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (Plan(node, index, producers, widths, userTensors) is not { } plan)
            {
                nodes.Add(node);
                continue;
            }
            split++;
            var y = node.Output[0];
            var w = plan.Weight;
            string? userSum = null;
            string? candidateSum = null;
            long row = 0;
            for (var i = 0; i < plan.Parts.Count; i++)
            {
                var (tensor, width, isUser) = plan.Parts[i];
                var block = w.Values.AsSpan((int)(row * w.Columns), (int)(width * w.Columns)).ToArray();
                row += width;
                var blockName = Nodes.AddInitializer(graph, OnnxTensors.Create($"{node.Input[1]}.rows_{i}", block.AsSpan(), width, w.Columns));
                var product = $"{y}.part_{i}";
                nodes.Add(Nodes.Create("MatMul", [tensor, blockName], product));
                ref var sum = ref isUser ? ref userSum : ref candidateSum;
                if (sum is null)
                {
                    sum = product;
                }
                else
                {
                    nodes.Add(Nodes.Create("Add", [sum, product], $"{product}.sum"));
                    sum = $"{product}.sum";
                }
            }
            if (plan.Bias is { } bias)
            {
                nodes.Add(Nodes.Create("Add", [userSum!, bias], $"{y}.user_part"));
                userSum = $"{y}.user_part";
            }
            nodes.Add(Nodes.Create("Add", [candidateSum!, userSum!], y));
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return split;
    }

    private sealed record SplitPlan(WeightMatrix Weight, string? Bias, IReadOnlyList<(string Tensor, long Width, bool IsUser)> Parts);

    private static SplitPlan? Plan(NodeProto node, GraphIndex index, Dictionary<string, NodeProto> producers, Dictionary<string, long> widths, IReadOnlySet<string> user)
    {
        if (node.OpType is not ("MatMul" or "Gemm") || node.Input.Count < 2 || index.FloatMatrix(node.Input[1]) is not { } weight
            || !producers.TryGetValue(node.Input[0], out var concat) || concat.OpType != "Concat"
            || NodeAttributes.Int(concat, "axis", 0) is not (1 or -1) || index.Consumers(concat.Output[0]).Count != 1)
        {
            return null;
        }
        if (node.OpType == "Gemm" && (NodeAttributes.Int(node, "transA", 0) != 0 || NodeAttributes.Int(node, "transB", 0) != 0
            || NodeAttributes.Float(node, "alpha", 1f) != 1f || NodeAttributes.Float(node, "beta", 1f) != 1f))
        {
            return null;
        }
        var parts = new List<(string, long, bool)>();
        foreach (var input in concat.Input)
        {
            if (!widths.TryGetValue(input, out var width))
            {
                return null;
            }
            var source = producers.TryGetValue(input, out var p) && p.OpType is "Expand" or "Tile" && user.Contains(p.Input[0]) ? p.Input[0] : input;
            parts.Add((source, width, user.Contains(source)));
        }
        if (!parts.Any(p => p.Item3) || parts.All(p => p.Item3) || parts.Sum(p => p.Item2) != weight.Dims[0])
        {
            return null;
        }
        var bias = node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
        return new SplitPlan(WeightMatrix.From(weight), bias, parts);
    }
}
