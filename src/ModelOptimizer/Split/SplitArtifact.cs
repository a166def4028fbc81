using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>
/// The two halves of a split model: the user model (user inputs → <see cref="UserOutputs"/>, run once per request)
/// and the candidate model (those tensors + candidate inputs → scores). See docs/optimizer.md for the contract.
/// </summary>
public sealed record SplitArtifact(ModelProto User, ModelProto Candidate, IReadOnlyList<string> UserOutputs, int AlgebraicSplits);
