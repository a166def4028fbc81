namespace RecOperator.InferencePod.Protocol;

/// <summary>Outcomes the pod answers with, mapped to an HTTP status and a gRPC status code.</summary>
public enum InferStatus
{
    Ok,
    InvalidArgument,
    NotFound,
    PayloadTooLarge,
    ResourceExhausted,
    DeadlineExceeded,
    Unavailable,
    Cancelled,
    Internal,
}
