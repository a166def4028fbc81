using System.Buffers;
using System.IO.Pipelines;
using RecOperator.InferencePod.Protocol;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// Reads a whole request body into a pooled buffer the caller owns, refusing it as soon as it passes the size limit
/// (never buffering more).
/// </summary>
internal static class RequestBody
{
    public static async Task<PooledBuffer> ReadAsync(PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new InferException(InferStatus.PayloadTooLarge, $"the request body is larger than the {maxBytes}-byte limit");
            }
            if (result.IsCompleted)
            {
                var body = PooledBuffer.CopyOf(buffer);
                reader.AdvanceTo(buffer.End);
                return body;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
