using RecOperator.Onnx;
using RecOperator.Onnx.Model;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Tests;

/// <summary>Tiny hand-built models for the cases the reference models do not have.</summary>
internal static class TestModels
{
    /// <summary>A Gemm with transA=1, which weight quantization cannot rewrite.</summary>
    public static ModelProto TransposedGemm()
    {
        var g = new OnnxGraphBuilder("transposed").Input("x", TensorElementType.Float, 4, "batch").Output("y", TensorElementType.Float, "batch", 2);
        var w = g.Initializer("w", new float[8].AsSpan(), 4, 2);
        g.NodeNamed("Gemm", "y", ["x", w], OnnxAttributes.Int("transA", 1));
        return g.Build("test");
    }

    /// <summary>
    /// Concat(Expand(user tower output), item features) → Gemm → Sigmoid: the user row broadcast to every candidate, as
    /// models often write it; with <paramref name="gemm"/> false the dense layer is a bias-free MatMul. Inputs: "user" [1, 4]
    /// (user side), "item" [candidates, 3].
    /// </summary>
    public static ModelProto ConcatOfUserAndItem(bool gemm = true)
    {
        var g = new OnnxGraphBuilder("concat-split")
            .Input("user", TensorElementType.Float, 1, 4)
            .Input("item", TensorElementType.Float, "candidates", 3)
            .Output("score", TensorElementType.Float, "candidates", 1);
        var random = new Reference.DeterministicRandom(3);
        var tower = g.Node("Relu", [g.Node("MatMul", ["user", g.Initializer("tower.w", random.Symmetric(20, 0.8f).AsSpan(), 4, 5)])]);
        var rows = g.Node("Shape", ["item"]);
        var take = g.Initializer("first", new long[] { 0 }.AsSpan(), 1);
        var count = g.Node("Gather", [rows, take], OnnxAttributes.Int("axis", 0));
        var shape = g.Node("Concat", [count, g.Initializer("width", new long[] { 5 }.AsSpan(), 1)], OnnxAttributes.Int("axis", 0));
        var broadcast = g.Node("Expand", [tower, shape]);
        var joined = g.Node("Concat", [broadcast, "item"], OnnxAttributes.Int("axis", 1));
        var weight = g.Initializer("top.w", random.Symmetric(8 * 8, 0.8f).AsSpan(), 8, 8);
        var hidden = gemm
            ? g.Node("Gemm", [joined, weight, g.Initializer("top.b", random.Symmetric(8, 0.1f).AsSpan(), 8)])
            : g.Node("MatMul", [joined, weight]);
        var logit = g.Node("MatMul", [g.Node("Relu", [hidden]), g.Initializer("out.w", random.Symmetric(8, 1f).AsSpan(), 8, 1)]);
        g.NodeNamed("Sigmoid", "score", [logit]);
        return g.Build("test", new Dictionary<string, string> { ["recoperator.user_inputs"] = "user", ["recoperator.candidate_inputs"] = "item" });
    }
}
