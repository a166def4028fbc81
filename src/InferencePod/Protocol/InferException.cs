namespace RecOperator.InferencePod.Protocol;

/// <summary>A request the pod answers with an error status; the message names the part of the request that is wrong.</summary>
public sealed class InferException : Exception
{
    public InferException()
    {
    }

    public InferException(string message) : base(message)
    {
    }

    public InferException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public InferException(InferStatus status, string message) : base(message) => Status = status;

    public InferStatus Status { get; } = InferStatus.Internal;

    public static InferException Invalid(string message) => new(InferStatus.InvalidArgument, message);
}
