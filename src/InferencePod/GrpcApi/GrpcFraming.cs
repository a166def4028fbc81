using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using RecOperator.InferencePod.Protocol;
using RecOperator.InferencePod.Server;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>gRPC's length-prefixed messages: a compressed-flag byte, a 4-byte big-endian length, then the protobuf bytes.</summary>
internal static class GrpcFraming
{
    public const int HeaderBytes = 5;

    /// <summary>Reads exactly one uncompressed message; refuses one over <paramref name="maxBytes"/> before buffering it.</summary>
    public static async Task<T> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, int maxBytes, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        using var body = await ReadBodyAsync(reader, maxBytes, cancellationToken).ConfigureAwait(false);
        return Parse(parser, body.Memory.Span);
    }

    /// <summary>
    /// Reads exactly one uncompressed message's protobuf bytes into a pooled buffer the caller owns; refuses one over
    /// <paramref name="maxBytes"/> before buffering it.
    /// </summary>
    public static async Task<PooledBuffer> ReadBodyAsync(PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= HeaderBytes)
            {
                var length = MessageLength(buffer, maxBytes, reader);
                if (buffer.Length >= HeaderBytes + length)
                {
                    var body = PooledBuffer.CopyOf(buffer.Slice(HeaderBytes, length));
                    reader.AdvanceTo(buffer.End);
                    return body;
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

    /// <summary>The message length from the 5-byte header; refuses compressed and oversized messages (reading nothing more).</summary>
    private static uint MessageLength(in ReadOnlySequence<byte> buffer, int maxBytes, PipeReader reader)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        if (header[0] != 0)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            throw new InferException(InferStatus.InvalidArgument, "compressed gRPC messages are not supported (send grpc-encoding identity)");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > maxBytes)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            throw new InferException(InferStatus.ResourceExhausted, $"the gRPC message has {length} bytes; the limit is {maxBytes}");
        }
        return length;
    }
}
