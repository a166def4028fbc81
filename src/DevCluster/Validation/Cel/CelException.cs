namespace RecOperator.DevCluster.Validation.Cel;

/// <summary>A CEL evaluation error (no such key, no matching overload, division by zero).</summary>
public sealed class CelException : Exception
{
    public CelException()
    {
    }

    public CelException(string message)
        : base(message)
    {
    }

    public CelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
