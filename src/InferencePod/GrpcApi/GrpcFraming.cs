using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>gRPC's length-prefixed messages: a compressed-flag byte, a 4-byte big-endian length, then the protobuf bytes.</summary>
internal static class GrpcFraming
{
    public const int HeaderBytes = 5;

    /// <summary>Reads exactly one uncompressed message; refuses one over <paramref name="maxBytes"/> before buffering it.</summary>
    public static async Task<T> ReadMessageAsync<T>(PipeReader reader, MessageParser<T> parser, int maxBytes, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var header = new byte[HeaderBytes];
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= HeaderBytes)
            {
                buffer.Slice(0, HeaderBytes).CopyTo(header);
                if (header[0] != 0)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new InferException(InferStatus.InvalidArgument, "compressed gRPC messages are not supported (send grpc-encoding identity)");
                }
                var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
                if (length > maxBytes)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new InferException(InferStatus.ResourceExhausted, $"the gRPC message has {length} bytes; the limit is {maxBytes}");
                }
                if (buffer.Length >= HeaderBytes + length)
                {
                    var body = buffer.Slice(HeaderBytes, length);
                    try
                    {
                        return parser.ParseFrom(body);
                    }
                    catch (InvalidProtocolBufferException error)
                    {
                        throw InferException.Invalid($"the request is not a valid {typeof(T).Name}: {error.Message}");
                    }
                    finally
                    {
                        reader.AdvanceTo(buffer.End);
                    }
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

    public static async Task WriteMessageAsync(PipeWriter writer, IMessage message, CancellationToken cancellationToken)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(HeaderBytes + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(HeaderBytes, size));
        writer.Advance(HeaderBytes + size);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
