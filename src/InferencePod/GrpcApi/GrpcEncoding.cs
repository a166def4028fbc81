namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// The message encodings of gRPC's compression (grpc/grpc doc/compression.md) this server reads: a call's grpc-encoding
/// names the one its compressed messages use. Answers always go out uncompressed (identity), which every client reads.
/// </summary>
internal enum GrpcEncoding
{
    Identity,
    Deflate,
    Gzip,
}
