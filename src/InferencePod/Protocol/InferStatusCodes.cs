namespace RecOperator.InferencePod.Protocol;

/// <summary>The one mapping of <see cref="InferStatus"/> to HTTP and gRPC codes, so both protocols agree.</summary>
public static class InferStatusCodes
{
    public static int Http(InferStatus status) => status switch
    {
        InferStatus.Ok => 200,
        InferStatus.InvalidArgument => 400,
        InferStatus.NotFound => 404,
        InferStatus.PayloadTooLarge => 413,
        InferStatus.ResourceExhausted => 429,
        InferStatus.Cancelled => 499,
        InferStatus.Unavailable => 503,
        InferStatus.DeadlineExceeded => 504,
        _ => 500,
    };

    /// <summary>gRPC status codes (google.rpc.Code numbers).</summary>
    public static int Grpc(InferStatus status) => status switch
    {
        InferStatus.Ok => 0,
        InferStatus.Cancelled => 1,
        InferStatus.InvalidArgument => 3,
        InferStatus.DeadlineExceeded => 4,
        InferStatus.NotFound => 5,
        InferStatus.PayloadTooLarge or InferStatus.ResourceExhausted => 8,
        InferStatus.Unavailable => 14,
        _ => 13,
    };
}
