using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Writes the user-candidate model. User-side inputs have a leading dimension of 1 ("user_dense" [1, 16],
/// "user_history" [1, 20] int64); candidate-side inputs have "candidates" ("item_id" [candidates] int64,
/// "item_dense" [candidates, 8]). Output "score" [candidates, 1]. User and candidate parts meet only through
/// broadcasting, so the user side is computed once per request.
/// </summary>
public static class UserCandidateModelBuilder
{
    public const string UserDense = "user_dense";
    public const string UserHistory = "user_history";
    public const string ItemId = "item_id";
    public const string ItemDense = "item_dense";
    public const string Output = "score";

    public static ModelProto Build(UserCandidateConfig config, UserCandidateWeights weights, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        var g = new OnnxGraphBuilder(config.Name)
            .Input(UserDense, TensorElementType.Float, 1, config.UserDenseFeatures)
            .Input(UserHistory, TensorElementType.Int64, 1, config.HistoryLength)
            .Input(ItemId, TensorElementType.Int64, "candidates")
            .Input(ItemDense, TensorElementType.Float, "candidates", config.ItemDenseFeatures)
            .Output(Output, TensorElementType.Float, "candidates", 1);
        var table = g.Initializer("item_embedding", weights.ItemTable.AsSpan(), config.ItemRows, config.EmbeddingDim);

        var history = g.Node("Gather", [table, UserHistory], OnnxAttributes.Int("axis", 0));
        var pooled = g.Node("ReduceMean", [history], OnnxAttributes.Ints("axes", 1), OnnxAttributes.Int("keepdims", 0));
        var userIn = g.Node("Concat", [UserDense, pooled], OnnxAttributes.Int("axis", 1));
        var user = OnnxLayers.Mlp(g, userIn, weights.UserTower, "user_tower", reluOnLast: true);

        var itemEmbedding = g.Node("Gather", [table, ItemId], OnnxAttributes.Int("axis", 0));
        var itemIn = g.Node("Concat", [itemEmbedding, ItemDense], OnnxAttributes.Int("axis", 1));
        var item = OnnxLayers.Mlp(g, itemIn, weights.ItemTower, "item_tower", reluOnLast: true);

        var product = g.Node("Mul", [user, item]);
        var fromUser = OnnxLayers.Dense(g, user, weights.TopUser, "top.user", relu: false);
        var fromItem = MatMul(g, item, weights.TopItem, "top.item");
        var fromProduct = MatMul(g, product, weights.TopProduct, "top.product");
        var hidden = g.Node("Relu", [g.Node("Add", [g.Node("Add", [fromItem, fromProduct]), fromUser])]);
        var logit = OnnxLayers.Dense(g, hidden, weights.Output, "top.output", relu: false);
        g.NodeNamed("Sigmoid", Output, [logit]);
        return g.Build("recoperator", ReferenceModelMetadata.For(config.Name, seed, [ItemId, ItemDense], [UserDense, UserHistory]));
    }

    private static string MatMul(OnnxGraphBuilder g, string input, DenseLayer layer, string name) =>
        g.Node("MatMul", [input, g.Initializer($"{name}.weight", layer.Weights.AsSpan(), layer.In, layer.Out)]);
}
