using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// One scoring request in model-independent form: float inputs as float[], integer inputs as long[], each with its
/// shape. Sessions convert to the element types they expect (float16 artifacts take Half).
/// </summary>
public sealed record SyntheticRequest(int Candidates, IReadOnlyDictionary<string, (Array Values, long[] Shape)> Inputs)
{
    /// <summary>A seeded request: floats uniform in [-1, 1), ids uniform below each input's table size.</summary>
    public static SyntheticRequest Create(IReadOnlyList<InputSpec> specs, int candidates, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(random);
        var inputs = new Dictionary<string, (Array, long[])>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var shape = spec.Shape(candidates);
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            Array values = spec.ElementType switch
            {
                TensorElementType.Float or TensorElementType.Float16 => random.Symmetric(count, 1f),
                TensorElementType.Int64 or TensorElementType.Int32 => Enumerable.Range(0, count).Select(_ => random.NextInt64(spec.IdBound)).ToArray(),
                _ => throw new Graph.ModelRejectedException($"input '{spec.Name}': element type {spec.ElementType} cannot be generated (float, float16, int32 and int64 can)"),
            };
            inputs[spec.Name] = (values, shape);
        }
        return new SyntheticRequest(candidates, inputs);
    }

    /// <summary>The input as the tensor type a session expects.</summary>
    public TensorBuffer Tensor(string name, TensorElementType type)
    {
        if (!Inputs.TryGetValue(name, out var input))
        {
            throw new Graph.ModelRejectedException($"the candidate model needs input '{name}', which the reference model does not have");
        }
        return (input.Values, type) switch
        {
            (float[] f, TensorElementType.Float) => TensorBuffer.Over(f, input.Shape),
            (float[] f, TensorElementType.Float16) => TensorBuffer.Over(f.Select(v => (Half)v).ToArray(), input.Shape),
            (long[] l, TensorElementType.Int64) => TensorBuffer.Over(l, input.Shape),
            (long[] l, TensorElementType.Int32) => TensorBuffer.Over(l.Select(v => (int)v).ToArray(), input.Shape),
            _ => throw new Graph.ModelRejectedException($"input '{name}': the models disagree on its element type ({type})"),
        };
    }
}
