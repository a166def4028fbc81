using System.Buffers.Binary;

namespace RecOperator.DevCluster.Tests.Networking;

/// <summary>gRPC length-prefixed framing: 1 byte compressed flag, 4 bytes big-endian length, the message.</summary>
public static class GrpcFrames
{
    public static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] ReadSingle(byte[] frame)
    {
        if (frame.Length < 5)
        {
            return [];
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(1));
        return frame.AsSpan(5, length).ToArray();
    }
}
