using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// Inflates a compressed request (a gRPC message, a REST body in a Content-Encoding), never past the size limit: the
/// output stops one byte past the limit and the request is refused, so a "zip bomb" (a few KiB that inflate to GiBs)
/// costs at most the limit in memory and the CPU to inflate that much, however far it would go. Both protocols use it;
/// each names what it inflates and answers "too large" in its own status.
/// </summary>
internal static class BoundedInflater
{
    /// <summary>The first output block: compressed protobuf rarely shrinks below a quarter, so most messages need one.</summary>
    private const int FirstBlockBytes = 16 * 1024;

    /// <summary>What <paramref name="compressed"/> holds, in a pooled buffer the caller owns.</summary>
    /// <param name="gzip">gzip (RFC 1952); otherwise zlib (RFC 1950), which is what both gRPC and HTTP call "deflate".</param>
    /// <param name="what">Names it in messages: "gzip gRPC message", "gzip request body".</param>
    /// <param name="limit">Names the limit in messages: "message size limit".</param>
    /// <param name="tooLarge">The answer when it inflates past the limit.</param>
    public static PooledBuffer Inflate(ReadOnlyMemory<byte> compressed, bool gzip, int maxBytes, string what, string limit, InferStatus tooLarge)
    {
        // One byte past the limit tells a message of exactly the limit from one over it.
        var cap = (int)Math.Min((long)maxBytes + 1, Array.MaxLength);
        var output = ArrayPool<byte>.Shared.Rent((int)Math.Min(cap, Math.Max(FirstBlockBytes, compressed.Length * 4L)));
        try
        {
            int total;
            using (var source = Decompressing(compressed, gzip))
            {
                total = ReadUpTo(source, ref output, cap);
            }
            if (total > maxBytes)
            {
                throw new InferException(tooLarge, $"the {what} of {compressed.Length} bytes inflates past the {limit} of {maxBytes} bytes");
            }
            if (!CompressedTrailer.Matches(gzip, compressed.Span, output.AsSpan(0, total)))
            {
                throw InferException.Invalid($"the {what} of {compressed.Length} bytes ends before its compressed stream does"
                    + (gzip ? " (or holds more than one gzip member)" : ""));
            }
            var message = PooledBuffer.Rent(total);
            output.AsSpan(0, total).CopyTo(message.Memory.Span);
            return message;
        }
        catch (InvalidDataException error)
        {
            throw InferException.Invalid($"the {what} of {compressed.Length} bytes does not inflate: {error.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>"deflate" is zlib (RFC 1950: a header and an Adler-32 around the deflate data), not raw deflate.</summary>
    private static Stream Decompressing(ReadOnlyMemory<byte> compressed, bool gzip)
    {
        var segment = MemoryMarshal.TryGetArray(compressed, out var array) ? array : new ArraySegment<byte>(compressed.ToArray());
        var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        return gzip
            ? new GZipStream(input, CompressionMode.Decompress)
            : new ZLibStream(input, CompressionMode.Decompress);
    }

    /// <summary>Reads <paramref name="source"/> into <paramref name="output"/>, grown as needed, until it ends or holds <paramref name="cap"/> bytes.</summary>
    private static int ReadUpTo(Stream source, ref byte[] output, int cap)
    {
        var total = 0;
        while (total < cap)
        {
            if (total == output.Length)
            {
                output = Grow(output, total, cap);
            }
            var read = source.Read(output, total, Math.Min(output.Length, cap) - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    private static byte[] Grow(byte[] output, int used, int cap)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)output.Length * 2, cap));
        output.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(output);
        return larger;
    }
}
