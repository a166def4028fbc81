namespace RecOperator.ModelOptimizer.Reference;

/// <summary>A DLRM's forward pass in plain loops, independent of the ONNX graph.</summary>
public static class DlrmReference
{
    /// <returns>batch click probabilities.</returns>
    public static float[] Forward(DlrmConfig config, DlrmWeights weights, float[] dense, IReadOnlyList<long[]> sparse, int batch) =>
        [.. Logits(config, weights, dense, sparse, batch).Select(ReferenceMath.Sigmoid)];

    /// <param name="dense">batch × DenseFeatures, row-major.</param>
    /// <param name="sparse">One array of batch ids per sparse feature.</param>
    /// <returns>batch click logits (before the sigmoid).</returns>
    public static float[] Logits(DlrmConfig config, DlrmWeights weights, float[] dense, IReadOnlyList<long[]> sparse, int batch)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(sparse);
        var dim = config.EmbeddingDim;
        var n = config.InteractingVectors;
        var bottom = ReferenceMath.Mlp(dense, batch, weights.Bottom, reluOnLast: true);
        var topInput = new float[batch * config.TopInputWidth];
        var vectors = new float[n][];
        for (var b = 0; b < batch; b++)
        {
            vectors[0] = bottom.AsSpan(b * dim, dim).ToArray();
            for (var f = 0; f < config.SparseFeatures; f++)
            {
                vectors[f + 1] = ReferenceMath.Row(weights.Tables[f], dim, sparse[f][b]).ToArray();
            }
            var row = topInput.AsSpan(b * config.TopInputWidth, config.TopInputWidth);
            vectors[0].CopyTo(row);
            var k = dim;
            for (var i = 1; i < n; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    double dot = 0;
                    for (var d = 0; d < dim; d++)
                    {
                        dot += (double)vectors[i][d] * vectors[j][d];
                    }
                    row[k++] = (float)dot;
                }
            }
        }
        var logits = ReferenceMath.Mlp(topInput, batch, weights.Top, reluOnLast: false);
        return logits;
    }
}
