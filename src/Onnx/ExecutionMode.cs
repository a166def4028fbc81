namespace RecOperator.Onnx;

/// <summary>Whether independent graph nodes run one after another or in parallel (on the inter-op threads).</summary>
public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}
