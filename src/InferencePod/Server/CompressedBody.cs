using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// A request body sent in a content coding (HTTP Content-Encoding, as Triton's clients send when asked to compress):
/// gzip (RFC 1952) and deflate, which in HTTP is the zlib format (RFC 1950), inflated by <see cref="BoundedInflater"/>
/// within the same size limit as an uncompressed body.
/// </summary>
internal static class CompressedBody
{
    /// <summary>The codings this pod reads, as an Accept-Encoding value.</summary>
    public const string Accepted = "gzip, deflate";

    /// <summary>Whether <paramref name="coding"/> needs inflating (false for none and identity); null when unknown.</summary>
    public static bool? IsCompressed(string? coding) => coding?.Trim().ToLowerInvariant() switch
    {
        null or "" or "identity" => false,
        "gzip" or "x-gzip" or "deflate" => true,
        _ => null,
    };

    /// <summary>The inflated bytes of <paramref name="compressed"/> in a pooled buffer the caller owns (413 past the limit).</summary>
    public static PooledBuffer Inflate(ReadOnlyMemory<byte> compressed, string coding, int maxBytes)
    {
        var name = coding.Trim().ToLowerInvariant();
        return BoundedInflater.Inflate(compressed, name != "deflate", maxBytes, $"{name} request body", "body size limit", InferStatus.PayloadTooLarge);
    }
}
