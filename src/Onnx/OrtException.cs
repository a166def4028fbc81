namespace RecOperator.Onnx;

/// <summary>An error ONNX Runtime reported through an <c>OrtStatus</c>: its code and its message, unchanged.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string ortMessage, string? context = null)
        : base(context is null ? $"ONNX Runtime {code}: {ortMessage}" : $"{context}: ONNX Runtime {code}: {ortMessage}")
    {
        Code = code;
        OrtMessage = ortMessage;
    }

    public OrtException() : this(OrtErrorCode.Fail, "unknown error")
    {
    }

    public OrtException(string message) : base(message)
    {
        Code = OrtErrorCode.Fail;
        OrtMessage = message;
    }

    public OrtException(string message, Exception innerException) : base(message, innerException)
    {
        Code = OrtErrorCode.Fail;
        OrtMessage = message;
    }

    /// <summary>ORT's error code.</summary>
    public OrtErrorCode Code { get; }

    /// <summary>ORT's own message, without the context this binding added.</summary>
    public string OrtMessage { get; }
}
