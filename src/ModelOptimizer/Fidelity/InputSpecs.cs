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

    /// <summary>
    /// Refuses a candidate that cannot take the reference's requests: an input missing or added, or ids the reference
    /// draws that index past the candidate's table (a smaller table is a different model, not a variant of this one).
    /// </summary>
    public static void RequireCompatible(IReadOnlyList<InputSpec> reference, IReadOnlyList<InputSpec> candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var byName = candidate.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var input in reference)
        {
            if (!byName.TryGetValue(input.Name, out var other))
            {
                problems.Add($"the candidate has no input '{input.Name}'");
            }
            else if (other.IdBound < input.IdBound)
            {
                problems.Add($"input '{input.Name}' indexes a table of {other.IdBound} rows in the candidate and {input.IdBound} in the reference");
            }
        }
        problems.AddRange(candidate.Where(c => !reference.Any(r => r.Name == c.Name)).Select(c => $"the candidate's input '{c.Name}' is not the reference's"));
        if (problems.Count > 0)
        {
            var more = problems.Count > 3 ? $"; and {problems.Count - 3} more" : "";
            throw new ModelRejectedException($"the candidate does not take the reference's requests: {string.Join("; ", problems.Take(3))}{more}");
        }
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
