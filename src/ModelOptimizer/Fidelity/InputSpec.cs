using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>
/// A model input as synthetic requests fill it: element type, dims (null = symbolic, filled with the candidate
/// count) and, for int64 ids, the exclusive upper bound taken from the tables the ids index.
/// </summary>
public sealed record InputSpec(string Name, TensorElementType ElementType, IReadOnlyList<long?> Dims, long IdBound)
{
    public long[] Shape(int candidates) => Dims.Select(d => d ?? candidates).ToArray();
}
