using RecOperator.ModelOptimizer.Graph;
using RecOperator.Onnx;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>Reads the inputs of a model for synthetic requests: types and shapes from the signature, id ranges from the graph.</summary>
public static class InputSpecs
{
    /// <summary>Ids of an input that indexes no constant table are drawn below this bound.</summary>
    public const long DefaultIdBound = 1000;

    public static IReadOnlyList<InputSpec> Of(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var index = new GraphIndex(graph);
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var specs = new List<InputSpec>();
        foreach (var input in graph.Input.Where(i => !initializers.Contains(i.Name)))
        {
            var tensor = input.Type?.TensorType ?? throw new ModelRejectedException($"input '{input.Name}' is not a tensor");
            var dims = tensor.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : (long?)null).ToArray() ?? [];
            specs.Add(new InputSpec(input.Name, (TensorElementType)tensor.ElemType, dims, IdBound(index, input.Name)));
        }
        return specs;
    }

    // The smallest table any Gather reads with these ids, so every generated id is valid for every table.
    private static long IdBound(GraphIndex index, string input)
    {
        var rows = index.Consumers(input)
            .Where(n => n.OpType == "Gather" && n.Input.Count == 2 && n.Input[1] == input)
            .Select(n => index.Initializer(n.Input[0]))
            .Where(t => t is { Dims.Count: > 0 })
            .Select(t => t!.Dims[0])
            .ToList();
        return rows.Count > 0 ? rows.Min() : DefaultIdBound;
    }
}
