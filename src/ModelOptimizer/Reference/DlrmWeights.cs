namespace RecOperator.ModelOptimizer.Reference;

/// <summary>All parameters of a DLRM, drawn from a seed in a fixed order: bottom MLP, tables, top MLP.</summary>
public sealed record DlrmWeights(IReadOnlyList<DenseLayer> Bottom, IReadOnlyList<float[]> Tables, IReadOnlyList<DenseLayer> Top)
{
    public static DlrmWeights Generate(DlrmConfig config, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var random = new DeterministicRandom(seed);
        var bottom = DenseLayer.Stack(config.DenseFeatures, config.BottomMlp, random);
        var tables = config.TableRows
            .Select(rows => random.Symmetric(rows * config.EmbeddingDim, MathF.Sqrt(1f / rows) + 0.05f))
            .ToArray();
        var top = DenseLayer.Stack(config.TopInputWidth, config.TopMlp, random);
        return new DlrmWeights(bottom, tables, top);
    }
}
