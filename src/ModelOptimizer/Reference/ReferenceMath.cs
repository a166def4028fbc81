namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// The reference models' math written directly with loops and double accumulation: an implementation independent of
/// the ONNX graphs, used to check what ONNX Runtime computes from them.
/// </summary>
public static class ReferenceMath
{
    /// <summary>rows × layer.In input (row-major) to rows × layer.Out, optionally through ReLU.</summary>
    public static float[] Linear(ReadOnlySpan<float> x, int rows, DenseLayer layer, bool relu)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var y = new float[rows * layer.Out];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < layer.Out; o++)
            {
                double sum = layer.Bias[o];
                for (var i = 0; i < layer.In; i++)
                {
                    sum += (double)x[r * layer.In + i] * layer.Weights[i * layer.Out + o];
                }
                y[r * layer.Out + o] = relu && sum < 0 ? 0f : (float)sum;
            }
        }
        return y;
    }

    /// <summary>An MLP: ReLU after every layer, except the last one when <paramref name="reluOnLast"/> is false.</summary>
    public static float[] Mlp(float[] x, int rows, IReadOnlyList<DenseLayer> layers, bool reluOnLast)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (var i = 0; i < layers.Count; i++)
        {
            x = Linear(x, rows, layers[i], relu: reluOnLast || i < layers.Count - 1);
        }
        return x;
    }

    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Math.Exp(-x)));

    /// <summary>Row <paramref name="id"/> of a [rows, dim] table.</summary>
    public static ReadOnlySpan<float> Row(float[] table, int dim, long id) => table.AsSpan((int)(id * dim), dim);
}
