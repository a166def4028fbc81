using RecOperator.Crds.Models;

namespace RecOperator.ModelOptimizer.Manifest;

/// <summary>
/// The precision of a model from the transform name it carries in its recoperator.optimization metadata, for a
/// model read back without the transform at hand (`optimize profile` on an artifact with no manifest beside it). Must
/// agree with each transform's own <see cref="Pipeline.IModelTransform.Precision"/>; a test holds them together.
/// </summary>
public static class TransformPrecision
{
    public static Precision Of(string transformName) => transformName switch
    {
        "int8-dynamic" or "int8-static" or "emb-int8" => Precision.Int8,
        "w8a16" => Precision.W8A16,
        "fp16" => Precision.Fp16,
        // Pruned and split models and models no optimizer touched keep float weights.
        _ => Precision.Fp32,
    };
}
