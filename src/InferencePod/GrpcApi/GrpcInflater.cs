using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>A compressed gRPC request message, inflated within the message size limit (RESOURCE_EXHAUSTED past it).</summary>
internal static class GrpcInflater
{
    /// <summary>The message <paramref name="compressed"/> holds, in a pooled buffer the caller owns.</summary>
    public static PooledBuffer Inflate(ReadOnlyMemory<byte> compressed, GrpcEncoding encoding, int maxBytes) =>
        BoundedInflater.Inflate(compressed, encoding == GrpcEncoding.Gzip, maxBytes, $"{(encoding == GrpcEncoding.Gzip ? "gzip" : "deflate")} gRPC message",
            "message size limit", InferStatus.ResourceExhausted);
}
