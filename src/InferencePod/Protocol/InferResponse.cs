namespace RecOperator.InferencePod.Protocol;

/// <summary>An inference answer of either protocol.</summary>
public sealed record InferResponse(string ModelName, string ModelVersion, string Id, IReadOnlyList<InferTensor> Outputs);
