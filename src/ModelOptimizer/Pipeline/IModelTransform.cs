using RecOperator.Crds.Models;
using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>
/// One model-to-model rewrite (quantize, fp16, prune). Pure: it gets a copy of the input model and returns the new
/// one; it throws <see cref="Graph.ModelRejectedException"/> naming the node or flag it cannot handle.
/// </summary>
public interface IModelTransform
{
    /// <summary>Short name used in the output file name and the variant name, e.g. "int8-dynamic".</summary>
    string Name { get; }

    Precision Precision { get; }

    TransformResult Apply(ModelProto model);
}
