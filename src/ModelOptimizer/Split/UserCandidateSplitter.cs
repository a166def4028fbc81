using RecOperator.ModelOptimizer.Graph;
using RecOperator.ModelOptimizer.Pipeline;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>
/// Separates everything that depends only on the user inputs (and constants) from the rest. The tensors where user
/// work meets candidate work become the user model's outputs and the candidate model's inputs, under the same names.
/// Concat→MatMul/Gemm pairs that mix both sides are split algebraically first, so their user half moves too.
/// </summary>
public static class UserCandidateSplitter
{
    public static SplitArtifact Split(ModelProto model, IReadOnlyList<string> userInputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(userInputs);
        var graph = model.Graph;
        var constants = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !constants.Contains(i.Name)).ToList();
        if (userInputs.Count == 0)
        {
            throw new ModelRejectedException("--user-inputs: name at least one input");
        }
        if (userInputs.FirstOrDefault(u => inputs.All(i => i.Name != u)) is { } unknown)
        {
            throw new ModelRejectedException($"--user-inputs: '{unknown}' is not an input of the model (inputs: {string.Join(", ", inputs.Select(i => i.Name))})");
        }
        if (inputs.All(i => userInputs.Contains(i.Name)))
        {
            throw new ModelRejectedException("--user-inputs: every input is user-side; a split needs at least one candidate input");
        }
        // The user model runs once per request on one user's row, so its outputs are declared [1, width]. An input with
        // any other first dimension (dlrm's dense [N, 13]) holds a row per candidate: the split would move per-candidate
        // work to a model whose outputs it cannot declare, and the written models would not run.
        if (inputs.Where(i => userInputs.Contains(i.Name)).FirstOrDefault(i => !HasOneRow(i)) is { } perCandidate)
        {
            throw new ModelRejectedException(
                $"--user-inputs: '{perCandidate.Name}' has first dimension {FirstDimension(perCandidate)}; a user input must have a fixed first dimension of 1 (one user per request)");
        }
        var algebraic = ConcatMatMulSplitter.Rewrite(graph, UserTensors(graph, userInputs, constants));
        // Drop what the rewrite orphaned (the Concat and the broadcast of the user row) before the boundary is drawn.
        GraphPruner.Prune(graph);
        constants = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var user = UserTensors(graph, userInputs, constants);
        if (graph.Output.FirstOrDefault(o => user.Contains(o.Name)) is { } userOutput)
        {
            throw new ModelRejectedException($"output '{userOutput.Name}' depends on user inputs only; nothing is left to score per candidate");
        }
        var userNodes = graph.Node.Where(n => n.Output.All(user.Contains)).ToList();
        var candidateNodes = graph.Node.Where(n => !n.Output.All(user.Contains)).ToList();
        var boundary = candidateNodes.SelectMany(n => n.Input).Where(user.Contains).Distinct(StringComparer.Ordinal).ToList();
        var declarations = Declarations(graph, boundary);

        var userModel = Part(model, userNodes, inputs.Where(i => userInputs.Contains(i.Name)), declarations, "user", boundary);
        var candidateModel = Part(model, candidateNodes, declarations.Concat(inputs.Where(i => !userInputs.Contains(i.Name))), graph.Output, "candidate", boundary);
        return new SplitArtifact(userModel, candidateModel, boundary, algebraic);
    }

    /// <summary>Tensors computed from user inputs and constants only (at least one user input among their sources).</summary>
    private static HashSet<string> UserTensors(GraphProto graph, IReadOnlyList<string> userInputs, HashSet<string> constants)
    {
        var user = userInputs.ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            var sources = node.Input.Where(i => i.Length > 0).ToList();
            if (sources.Any(user.Contains) && sources.All(i => user.Contains(i) || constants.Contains(i)))
            {
                user.UnionWith(node.Output);
            }
        }
        return user;
    }

    private static bool HasOneRow(ValueInfoProto input) =>
        input.Type.TensorType.Shape?.Dim.FirstOrDefault() is { HasDimValue: true, DimValue: 1 };

    private static string FirstDimension(ValueInfoProto input) => input.Type.TensorType.Shape?.Dim.FirstOrDefault() switch
    {
        { HasDimValue: true } d => d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        { DimParam.Length: > 0 } d => $"'{d.DimParam}'",
        _ => "unknown",
    };

    // The boundary tensors with their element type and, where known, [1, width] (every user input has one row).
    private static List<ValueInfoProto> Declarations(GraphProto graph, List<string> boundary)
    {
        var types = ElementTypes.Infer(graph, rejectQuantized: false);
        var widths = Widths.Infer(graph);
        return boundary.Select(name => widths.TryGetValue(name, out var width)
                ? OnnxTensors.ValueInfo(name, (TensorElementType)types[name], 1, width)
                : new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = types[name] } } })
            .ToList();
    }

    private static ModelProto Part(ModelProto model, List<NodeProto> nodes, IEnumerable<ValueInfoProto> inputs, IEnumerable<ValueInfoProto> outputs, string role, List<string> boundary)
    {
        var part = model.Clone();
        var graph = part.Graph;
        graph.Name = $"{model.Graph.Name}.{role}";
        graph.Node.Clear();
        graph.Node.AddRange(nodes.Select(n => n.Clone()));
        graph.Input.Clear();
        graph.Input.AddRange(inputs.Select(i => i.Clone()));
        graph.Output.Clear();
        graph.Output.AddRange(outputs.Select(o => o.Clone()));
        graph.ValueInfo.Clear();
        GraphPruner.Prune(graph);
        OptimizationPipeline.SetMetadata(part, SplitMetadata.Role, role);
        OptimizationPipeline.SetMetadata(part, SplitMetadata.UserOutputs, string.Join(",", boundary));
        if (role == "user")
        {
            // The user model's signature is its own: only user inputs, no candidate side.
            OptimizationPipeline.SetMetadata(part, ReferenceModelMetadata.CandidateInputsKey, string.Empty);
        }
        return part;
    }
}
