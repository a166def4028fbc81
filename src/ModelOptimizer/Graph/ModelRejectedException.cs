namespace RecOperator.ModelOptimizer.Graph;

/// <summary>
/// The input model or the flags cannot be used for the requested transformation. The message names the node, tensor
/// or flag that is wrong; commands turn it into exit code 2 with nothing written.
/// </summary>
public sealed class ModelRejectedException : Exception
{
    public ModelRejectedException()
    {
    }

    public ModelRejectedException(string message)
        : base(message)
    {
    }

    public ModelRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
