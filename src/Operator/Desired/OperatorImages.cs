namespace RecOperator.Operator.Desired;

/// <summary>Container images the operator deploys; set from the operator's configuration (Helm values).</summary>
/// <param name="InferencePod">The inference pod image for CPU variants (runs <c>recop pod</c>).</param>
/// <param name="InferencePodGpu">The image for Gpu variants (CUDA runtime and ONNX Runtime's CUDA provider).</param>
public sealed record OperatorImages(string InferencePod, string InferencePodGpu)
{
    public static OperatorImages Default { get; } = new("ghcr.io/recoperator/recpod:0.1.0", "ghcr.io/recoperator/recpod-gpu:0.1.0");
}
