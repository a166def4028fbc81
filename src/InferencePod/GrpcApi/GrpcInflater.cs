using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// Inflates a compressed request message, never past the message size limit: the output stops one byte past the limit
/// and the message is refused, so a "zip bomb" (a few KiB that inflate to GiBs) costs at most the limit in memory and
/// the CPU to inflate that much, however far it would go.
/// </summary>
internal static class GrpcInflater
{
    /// <summary>The first output block: compressed protobuf rarely shrinks below a quarter, so most messages need one.</summary>
    private const int FirstBlockBytes = 16 * 1024;

    /// <summary>The message <paramref name="compressed"/> holds, in a pooled buffer the caller owns.</summary>
    public static PooledBuffer Inflate(ReadOnlyMemory<byte> compressed, GrpcEncoding encoding, int maxBytes)
    {
        // One byte past the limit tells a message of exactly the limit from one over it.
        var cap = (int)Math.Min((long)maxBytes + 1, Array.MaxLength);
        var output = ArrayPool<byte>.Shared.Rent((int)Math.Min(cap, Math.Max(FirstBlockBytes, compressed.Length * 4L)));
        try
        {
            int total;
            using (var source = Decompressing(compressed, encoding))
            {
                total = ReadUpTo(source, ref output, cap);
            }
            if (total > maxBytes)
            {
                throw new InferException(InferStatus.ResourceExhausted,
                    $"the {Name(encoding)} gRPC message of {compressed.Length} bytes inflates past the message size limit of {maxBytes} bytes");
            }
            if (!CompressedTrailer.Matches(encoding, compressed.Span, output.AsSpan(0, total)))
            {
                throw InferException.Invalid($"the {Name(encoding)} gRPC message of {compressed.Length} bytes ends before its compressed stream does"
                    + (encoding == GrpcEncoding.Gzip ? " (or holds more than one gzip member)" : ""));
            }
            var message = PooledBuffer.Rent(total);
            output.AsSpan(0, total).CopyTo(message.Memory.Span);
            return message;
        }
        catch (InvalidDataException error)
        {
            throw InferException.Invalid($"the {Name(encoding)} gRPC message of {compressed.Length} bytes does not inflate: {error.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>gRPC's "deflate" is zlib (RFC 1950: a header and an Adler-32 around the deflate data), not raw deflate.</summary>
    private static Stream Decompressing(ReadOnlyMemory<byte> compressed, GrpcEncoding encoding)
    {
        var segment = MemoryMarshal.TryGetArray(compressed, out var array) ? array : new ArraySegment<byte>(compressed.ToArray());
        var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        return encoding == GrpcEncoding.Gzip
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

    private static string Name(GrpcEncoding encoding) => encoding == GrpcEncoding.Gzip ? "gzip" : "deflate";
}
