namespace RecOperator.Onnx;

/// <summary>ONNX Runtime's native library could not be loaded; the message says where it looked and how to install it.</summary>
public sealed class OrtLibraryNotFoundException : Exception
{
    public OrtLibraryNotFoundException()
    {
    }

    public OrtLibraryNotFoundException(string message) : base(message)
    {
    }

    public OrtLibraryNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
