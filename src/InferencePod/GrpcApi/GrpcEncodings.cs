using Microsoft.Extensions.Primitives;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>The grpc-encoding and grpc-accept-encoding headers.</summary>
internal static class GrpcEncodings
{
    /// <summary>What every answer advertises in grpc-accept-encoding, so a client compresses only with these.</summary>
    public const string Accepted = "identity,deflate,gzip";

    /// <summary>
    /// The encoding a grpc-encoding header names; none (or empty) is identity. False for an encoding this server lacks,
    /// which the caller answers UNIMPLEMENTED, as the compression doc asks.
    /// </summary>
    public static bool TryParse(StringValues header, out GrpcEncoding encoding)
    {
        // Content-codings are case-insensitive tokens; only the common absent header is on the hot path.
        var name = header.Count == 1 ? header[0] : header.Count == 0 ? null : header.ToString();
        encoding = GrpcEncoding.Identity;
        if (string.IsNullOrEmpty(name) || name.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            encoding = GrpcEncoding.Gzip;
            return true;
        }
        if (name.Equals("deflate", StringComparison.OrdinalIgnoreCase))
        {
            encoding = GrpcEncoding.Deflate;
            return true;
        }
        return false;
    }
}
