namespace RecOperator.ModelOptimizer.Reference;

/// <summary>A reference model written to disk, and how far ONNX Runtime's scores were from the C# math.</summary>
/// <param name="MatchesReference">Every score within <see cref="ReferenceModelBuilder.AbsoluteTolerance"/> plus
/// <see cref="ReferenceModelBuilder.RelativeTolerance"/> of the C# score.</param>
public sealed record BuiltModel(string Name, string Path, long Bytes, string Sha256, int Inputs, float MaxAbsDifference, bool MatchesReference);
