using System.Buffers;
using System.IO.Compression;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// Inflates a request body sent in a content coding (HTTP Content-Encoding, as Triton's clients send when asked to
/// compress): gzip (RFC 1952) and deflate, which in HTTP is the zlib format (RFC 1950). The inflated body is held to
/// the same size limit as an uncompressed one and inflation stops as soon as it passes it, so a small body that would
/// inflate to gigabytes (a "zip bomb") costs no more memory than the limit.
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

    /// <summary>The inflated bytes of <paramref name="compressed"/> in a pooled buffer the caller owns.</summary>
    public static PooledBuffer Inflate(ReadOnlyMemory<byte> compressed, string coding, int maxBytes)
    {
        var name = coding.Trim().ToLowerInvariant();
        using var source = new ReadOnlyMemoryStream(compressed);
        using Stream inflater = name == "deflate" ? new ZLibStream(source, CompressionMode.Decompress) : new GZipStream(source, CompressionMode.Decompress);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, Math.Max(4096, compressed.Length * 4)));
        var length = 0;
        try
        {
            while (true)
            {
                // One byte past the limit is read to tell "exactly the limit" from "more": every read asks for at least one.
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = inflater.Read(buffer, length, Math.Min(buffer.Length, maxBytes + 1) - length);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    throw new InferException(InferStatus.PayloadTooLarge, $"the request body inflates ({name}) to more than the {maxBytes}-byte limit");
                }
            }
            return PooledBuffer.CopyOf(new ReadOnlySequence<byte>(buffer, 0, length));
        }
        catch (InvalidDataException error)
        {
            throw InferException.Invalid($"the request body is not valid {name} data (Content-Encoding: {coding}): {error.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A read-only stream over memory the caller keeps alive, so the compressed body is not copied to be read.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
