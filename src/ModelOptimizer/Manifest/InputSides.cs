using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>Which inputs are user-side (one per request) and which candidate-side (one row per candidate).</summary>
public sealed record InputSides(IReadOnlyList<string> User, IReadOnlyList<string> Candidate)
{
    /// <summary>From the model's recoperator.user_inputs metadata; inputs it does not name are candidate-side.</summary>
    public static InputSides Of(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var user = Metadata(model, ReferenceModelMetadata.UserInputsKey)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToList();
        return new InputSides(inputs.Where(user.Contains).ToList(), inputs.Where(n => !user.Contains(n)).ToList());
    }

    public static string Metadata(ModelProto model, string key)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value ?? string.Empty;
    }
}
