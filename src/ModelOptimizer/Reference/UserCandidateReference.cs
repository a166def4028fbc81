namespace RecOperator.ModelOptimizer.Reference;

/// <summary>The user-candidate model's forward pass in plain loops, independent of the ONNX graph.</summary>
public static class UserCandidateReference
{
    /// <returns>One probability per candidate.</returns>
    public static float[] Forward(UserCandidateConfig config, UserCandidateWeights weights,
        float[] userDense, long[] history, long[] itemIds, float[] itemDense) =>
        [.. Logits(config, weights, userDense, history, itemIds, itemDense).Select(ReferenceMath.Sigmoid)];

    /// <returns>One logit per candidate (before the sigmoid).</returns>
    public static float[] Logits(UserCandidateConfig config, UserCandidateWeights weights,
        float[] userDense, long[] history, long[] itemIds, float[] itemDense)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(itemIds);
        var dim = config.EmbeddingDim;
        var userIn = new float[config.UserDenseFeatures + dim];
        userDense.AsSpan().CopyTo(userIn);
        for (var d = 0; d < dim; d++)
        {
            double sum = 0;
            foreach (var id in history)
            {
                sum += ReferenceMath.Row(weights.ItemTable, dim, id)[d];
            }
            userIn[config.UserDenseFeatures + d] = (float)(sum / history.Length);
        }
        var user = ReferenceMath.Mlp(userIn, 1, weights.UserTower, reluOnLast: true);
        var fromUser = ReferenceMath.Linear(user, 1, weights.TopUser, relu: false);

        var count = itemIds.Length;
        var itemWidth = dim + config.ItemDenseFeatures;
        var itemIn = new float[count * itemWidth];
        for (var c = 0; c < count; c++)
        {
            ReferenceMath.Row(weights.ItemTable, dim, itemIds[c]).CopyTo(itemIn.AsSpan(c * itemWidth));
            itemDense.AsSpan(c * config.ItemDenseFeatures, config.ItemDenseFeatures).CopyTo(itemIn.AsSpan(c * itemWidth + dim));
        }
        var item = ReferenceMath.Mlp(itemIn, count, weights.ItemTower, reluOnLast: true);
        var width = config.TowerOutput;
        var product = new float[count * width];
        for (var i = 0; i < product.Length; i++)
        {
            product[i] = user[i % width] * item[i];
        }
        var fromItem = ReferenceMath.Linear(item, count, weights.TopItem, relu: false);
        var fromProduct = ReferenceMath.Linear(product, count, weights.TopProduct, relu: false);
        var hidden = new float[count * config.TopHidden];
        for (var i = 0; i < hidden.Length; i++)
        {
            hidden[i] = MathF.Max(0f, fromItem[i] + fromProduct[i] + fromUser[i % config.TopHidden]);
        }
        var logits = ReferenceMath.Linear(hidden, count, weights.Output, relu: false);
        return logits;
    }
}
