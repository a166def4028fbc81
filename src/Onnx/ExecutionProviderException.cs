namespace RecOperator.Onnx;

/// <summary>The requested execution provider cannot be used with the loaded engine; the message says why and what to do.</summary>
public sealed class ExecutionProviderException : Exception
{
    public ExecutionProviderException()
    {
    }

    public ExecutionProviderException(string message) : base(message)
    {
    }

    public ExecutionProviderException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ExecutionProviderException(string providerName, string message, Exception? innerException = null)
        : base(message, innerException) => ProviderName = providerName;

    public string ProviderName { get; } = "";
}
