namespace RecOperator.Onnx;

/// <summary>How much graph rewriting the engine does at load time (ORT's GraphOptimizationLevel values).</summary>
public enum GraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    Layout = 3,
    All = 99,
}
