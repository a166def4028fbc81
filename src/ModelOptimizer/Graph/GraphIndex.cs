using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Graph;

/// <summary>Lookups over one graph: initializers by name and the nodes that read each tensor.</summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

    public GraphIndex(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }
                list.Add(node);
            }
        }
    }

    public TensorProto? Initializer(string name) => _initializers.GetValueOrDefault(name);

    public IReadOnlyList<NodeProto> Consumers(string tensor) => _consumers.TryGetValue(tensor, out var list) ? list : [];

    /// <summary>A float initializer of rank 2 (a weight matrix or an embedding table), or null.</summary>
    public TensorProto? FloatMatrix(string name) =>
        Initializer(name) is { Dims.Count: 2 } t && t.DataType == (int)TensorProto.Types.DataType.Float ? t : null;

    /// <summary>Removes initializers no node and no graph output reads any more (replaced weights).</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(t => !used.Contains(t.Name)).ToList();
        foreach (var tensor in unused)
        {
            graph.Initializer.Remove(tensor);
        }
    }
}
