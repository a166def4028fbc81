using RecOperator.Onnx.Proto;

namespace RecOperator.ModelOptimizer.Pipeline;

/// <summary>The rewritten model and what the rewrite did, as "key: value" facts for the manifest and the console.</summary>
public sealed record TransformResult(ModelProto Model, IReadOnlyDictionary<string, string> Summary);
