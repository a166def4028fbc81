namespace RecOperator.ModelOptimizer.Reference;

/// <summary>A fully connected layer y = x·W + b with W stored row-major as [In, Out].</summary>
public sealed record DenseLayer(int In, int Out, float[] Weights, float[] Bias)
{
    /// <summary>Xavier-uniform weights and small biases, drawn in a fixed order from <paramref name="random"/>.</summary>
    public static DenseLayer Create(int inputs, int outputs, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var limit = MathF.Sqrt(6f / (inputs + outputs));
        return new DenseLayer(inputs, outputs, random.Symmetric(inputs * outputs, limit), random.Symmetric(outputs, 0.05f));
    }

    /// <summary>A stack of layers through the given widths, e.g. 13-512-256-64.</summary>
    public static IReadOnlyList<DenseLayer> Stack(int inputs, IReadOnlyList<int> widths, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(widths);
        var layers = new DenseLayer[widths.Count];
        for (var i = 0; i < widths.Count; i++)
        {
            layers[i] = Create(i == 0 ? inputs : widths[i - 1], widths[i], random);
        }
        return layers;
    }
}
