namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Parameters of the user-candidate model. The top layer's first matrix is split into the blocks that multiply the
/// user vector, the item vector and their product (one matrix over their concatenation, written without the concat).
/// </summary>
public sealed record UserCandidateWeights(
    float[] ItemTable,
    IReadOnlyList<DenseLayer> UserTower,
    IReadOnlyList<DenseLayer> ItemTower,
    DenseLayer TopUser,
    DenseLayer TopItem,
    DenseLayer TopProduct,
    DenseLayer Output)
{
    public static UserCandidateWeights Generate(UserCandidateConfig config, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var random = new DeterministicRandom(seed);
        var table = random.Symmetric(config.ItemRows * config.EmbeddingDim, 0.5f);
        var user = DenseLayer.Stack(config.UserDenseFeatures + config.EmbeddingDim, config.UserTower, random);
        var item = DenseLayer.Stack(config.EmbeddingDim + config.ItemDenseFeatures, config.ItemTower, random);
        var width = config.TowerOutput;
        var topUser = DenseLayer.Create(width, config.TopHidden, random);
        var topItem = DenseLayer.Create(width, config.TopHidden, random) with { Bias = new float[config.TopHidden] };
        var topProduct = DenseLayer.Create(width, config.TopHidden, random) with { Bias = new float[config.TopHidden] };
        var output = DenseLayer.Create(config.TopHidden, 1, random);
        return new UserCandidateWeights(table, user, item, topUser, topItem, topProduct, output);
    }
}
