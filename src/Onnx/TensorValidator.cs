namespace RecOperator.Onnx;

/// <summary>
/// Checks tensors against a model's metadata before any native call, so a wrong name, element type or shape is
/// reported as the tensor's name, what the model expects and what came, never as a native error or a crash.
/// Allocates nothing when everything fits (the hot path).
/// </summary>
public static class TensorValidator
{
    /// <param name="role">"input" or "output", used in messages.</param>
    /// <param name="expected">The model's tensors.</param>
    /// <param name="indexByName">Position of each name in <paramref name="expected"/>.</param>
    /// <param name="given">The caller's tensors, in any order.</param>
    /// <param name="requireAll">Whether every expected tensor must be given (true for inputs).</param>
    public static void Validate(string role, IReadOnlyList<TensorMetadata> expected, IReadOnlyDictionary<string, int> indexByName,
        IReadOnlyList<NamedTensor> given, bool requireAll)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(indexByName);
        ArgumentNullException.ThrowIfNull(given);
        Span<bool> seen = expected.Count <= 256 ? stackalloc bool[expected.Count] : new bool[expected.Count];
        for (var i = 0; i < given.Count; i++)
        {
            var (name, tensor) = given[i];
            if (name is null || !indexByName.TryGetValue(name, out var position))
            {
                var known = string.Join(", ", expected.Select(e => e.Name));
                throw new InferenceInputException(name ?? "", known, name ?? "(null)",
                    $"{role} '{name}' is not an {role} of this model; its {role}s are: {known}");
            }
            if (seen[position])
            {
                throw new InferenceInputException(name, "once", "twice", $"{role} '{name}' is given more than once");
            }
            seen[position] = true;
            if (tensor is null)
            {
                throw new InferenceInputException(name, expected[position].Describe(), "null", $"{role} '{name}' has no tensor");
            }
            CheckTensor(role, expected[position], tensor);
        }
        if (requireAll && given.Count != expected.Count)
        {
            for (var i = 0; i < expected.Count; i++)
            {
                if (!seen[i])
                {
                    throw new InferenceInputException(expected[i].Name, expected[i].Describe(), "missing",
                        $"{role} '{expected[i].Name}' is missing (expected {expected[i].Describe()})");
                }
            }
        }
    }

    private static void CheckTensor(string role, TensorMetadata expected, TensorBuffer tensor)
    {
        if (tensor.ElementType != expected.ElementType)
        {
            throw new InferenceInputException(expected.Name, expected.ElementType.ToString(), tensor.ElementType.ToString(),
                $"{role} '{expected.Name}': expected element type {expected.ElementType}, got {tensor.ElementType}");
        }
        var shape = tensor.Shape;
        var fits = shape.Length == expected.Dimensions.Count;
        for (var d = 0; fits && d < shape.Length; d++)
        {
            fits = expected.Dimensions[d] < 0 || expected.Dimensions[d] == shape[d];
        }
        if (!fits)
        {
            throw new InferenceInputException(expected.Name, expected.ShapeText, tensor.ShapeText,
                $"{role} '{expected.Name}': expected shape {expected.ShapeText}, got {tensor.ShapeText}");
        }
    }
}
