using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>Keeps only the nodes the graph outputs need, then drops initializers nothing reads.</summary>
internal static class GraphPruner
{
    public static void Prune(GraphProto graph)
    {
        var needed = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        foreach (var node in graph.Node.Reverse())
        {
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input.Where(i => i.Length > 0));
            }
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        GraphIndex.RemoveUnusedInitializers(graph);
    }
}
