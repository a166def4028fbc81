namespace RecOperator.Onnx;

/// <summary>Creates sessions from model files or bytes.</summary>
public interface IInferenceEngine
{
    /// <summary>Engine name and version, e.g. "ONNX Runtime 1.30.0".</summary>
    string Description { get; }

    IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null);

    IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null);
}
