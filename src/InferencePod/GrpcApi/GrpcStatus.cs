using System.Text;

namespace RecOperator.InferencePod.GrpcApi;

/// <summary>gRPC status helpers: UNIMPLEMENTED and the percent-encoding of grpc-message.</summary>
internal static class GrpcStatus
{
    /// <summary>The one code not produced by <see cref="Protocol.InferStatusCodes"/>: a method this server lacks.</summary>
    public const int Unimplemented = 12;

    /// <summary>grpc-message is percent-encoded UTF-8: bytes outside printable ASCII, and '%' itself.</summary>
    public static string EncodeMessage(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
