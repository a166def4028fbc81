using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// gRPC's length-prefixed messages: a compressed-flag byte, a 4-byte big-endian length, then the protobuf bytes
/// (compressed with the call's grpc-encoding when the flag is 1).
/// </summary>
internal static class GrpcFraming
{
    public const int HeaderBytes = 5;

    /// <summary>Reads a unary call's one message (see <see cref="ReadBodyAsync"/>) and parses it.</summary>
    public static async Task<T> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, GrpcEncoding encoding, int maxBytes,
        CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        using var body = await ReadBodyAsync(reader, encoding, maxBytes, cancellationToken).ConfigureAwait(false);
        return Parse(parser, body.Memory.Span);
    }

    /// <summary>
    /// Reads a unary call's one message into a pooled buffer the caller owns, inflated when it is compressed. Refuses a
    /// message over <paramref name="maxBytes"/> before buffering it (or, compressed, once it inflates past that), and
    /// bytes that already follow it (a second message); <see cref="ReadEndAsync"/> later checks the rest of the stream.
    /// </summary>
    public static async Task<PooledBuffer> ReadBodyAsync(PipeReader reader, GrpcEncoding encoding, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= HeaderBytes)
            {
                var length = MessageLength(buffer, encoding, maxBytes, reader, out var compressed);
                if (buffer.Length >= HeaderBytes + length)
                {
                    var rest = buffer.Slice(HeaderBytes + length);
                    if (!rest.IsEmpty)
                    {
                        reader.AdvanceTo(buffer.End);
                        throw SecondMessage(rest.Length);
                    }
                    var body = PooledBuffer.CopyOf(buffer.Slice(HeaderBytes, length));
                    reader.AdvanceTo(buffer.End);
                    return compressed ? Inflated(body, encoding, maxBytes) : body;
                }
            }
            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                throw InferException.Invalid($"the request stream ended inside a gRPC message ({buffer.Length} bytes)");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Reads on to the end of a unary call's request stream, which must hold nothing after its one message: gRPC servers
    /// refuse a second message rather than ignore it. Called once the answer is ready, so the end, which clients send
    /// right after the message, has arrived by then and this completes at once; waiting for it before running the call
    /// would cost a thread-pool hop whenever it came in a later frame than the message.
    /// </summary>
    public static async Task ReadEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var length = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (length > 0)
            {
                throw SecondMessage(length);
            }
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Parses a message with the generated parser; a malformed one is an InvalidArgument naming the message type.</summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> body)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw InferException.Invalid($"the request is not a valid {typeof(T).Name}: {error.Message}");
        }
    }

    /// <summary>
    /// Frames one message into the response pipe without flushing it: a unary call ends right after, and Kestrel then
    /// sends the headers, the data and the trailers in one pass of its HTTP/2 frame writer (one socket write) instead
    /// of one pass for the flush and another for the trailers.
    /// </summary>
    public static void WriteMessage(PipeWriter writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(HeaderBytes + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(HeaderBytes, size));
        writer.Advance(HeaderBytes + size);
    }

    /// <summary>
    /// The message length from the 5-byte header, and whether the message is compressed; refuses oversized messages,
    /// and compressed ones in a call without an encoding (reading nothing more).
    /// </summary>
    private static uint MessageLength(in ReadOnlySequence<byte> buffer, GrpcEncoding encoding, int maxBytes, PipeReader reader, out bool compressed)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        compressed = header[0] == 1;
        InferException? refusal = header[0] switch
        {
            > 1 => InferException.Invalid($"the gRPC message's compressed flag is {header[0]}; it must be 0 or 1"),
            // gRPC's compression doc makes this INTERNAL: the client flagged a message it had no encoding for.
            1 when encoding == GrpcEncoding.Identity => new InferException(InferStatus.Internal,
                "the gRPC message is flagged compressed, but the call's grpc-encoding is absent or identity; this server accepts " + GrpcEncodings.Accepted),
            _ when length > maxBytes => new InferException(InferStatus.ResourceExhausted, $"the gRPC message has {length} bytes; the limit is {maxBytes}"),
            _ => null,
        };
        if (refusal is not null)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            throw refusal;
        }
        return length;
    }

    private static InferException SecondMessage(long bytes) =>
        InferException.Invalid($"a unary call takes one message; {bytes} more bytes followed it");

    private static PooledBuffer Inflated(PooledBuffer compressed, GrpcEncoding encoding, int maxBytes)
    {
        using (compressed)
        {
            return GrpcInflater.Inflate(compressed.Memory, encoding, maxBytes);
        }
    }
}
