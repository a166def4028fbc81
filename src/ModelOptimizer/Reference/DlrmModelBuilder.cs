using System.Globalization;
using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Writes a DLRM as an ONNX graph. Inputs: "dense" [batch, 13] float and "sparse_0".."sparse_25" [batch] int64
/// (one id per feature); output "score" [batch, 1], the click probability.
/// </summary>
public static class DlrmModelBuilder
{
    public const string DenseInput = "dense";
    public const string Output = "score";

    public static string SparseInput(int feature) => "sparse_" + feature.ToString(CultureInfo.InvariantCulture);

    public static ModelProto Build(DlrmConfig config, DlrmWeights weights, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        var g = new OnnxGraphBuilder(config.Name).Input(DenseInput, TensorElementType.Float, "batch", config.DenseFeatures);
        for (var f = 0; f < config.SparseFeatures; f++)
        {
            g.Input(SparseInput(f), TensorElementType.Int64, "batch");
        }
        g.Output(Output, TensorElementType.Float, "batch", 1);

        var bottom = OnnxLayers.Mlp(g, DenseInput, weights.Bottom, "bottom", reluOnLast: true);
        var vectors = new List<string> { bottom };
        for (var f = 0; f < config.SparseFeatures; f++)
        {
            var table = g.Initializer($"embedding.{f}", weights.Tables[f].AsSpan(), config.TableRows[f], config.EmbeddingDim);
            vectors.Add(g.Node("Gather", [table, SparseInput(f)], OnnxAttributes.Int("axis", 0)));
        }

        // Dot interaction: T = [batch, vectors, dim], Z = T·Tᵀ, keep the pairs below the diagonal.
        var n = config.InteractingVectors;
        var flat = g.Node("Concat", vectors, OnnxAttributes.Int("axis", 1));
        var stacked = g.Node("Reshape", [flat, OnnxLayers.Int64Constant(g, "interaction.shape", 0, n, config.EmbeddingDim)]);
        var transposed = g.Node("Transpose", [stacked], OnnxAttributes.Ints("perm", 0, 2, 1));
        var products = g.Node("MatMul", [stacked, transposed]);
        var productsFlat = g.Node("Reshape", [products, OnnxLayers.Int64Constant(g, "interaction.flat", 0, n * n)]);
        var pairs = g.Node("Gather", [productsFlat, OnnxLayers.Int64Constant(g, "interaction.pairs", LowerTrianglePositions(n))],
            OnnxAttributes.Int("axis", 1));

        var topInput = g.Node("Concat", [bottom, pairs], OnnxAttributes.Int("axis", 1));
        var logit = OnnxLayers.Mlp(g, topInput, weights.Top, "top", reluOnLast: false);
        g.NodeNamed("Sigmoid", Output, [logit]);
        return g.Build("recoperator", ReferenceModelMetadata.For(config.Name, seed,
            [DenseInput, .. Enumerable.Range(0, config.SparseFeatures).Select(SparseInput)], []));
    }

    /// <summary>Flat positions i·n + j of the pairs i &gt; j, ordered by i then j (DLRM's order).</summary>
    public static long[] LowerTrianglePositions(int n)
    {
        var positions = new List<long>(n * (n - 1) / 2);
        for (var i = 1; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                positions.Add((long)i * n + j);
            }
        }
        return [.. positions];
    }
}
