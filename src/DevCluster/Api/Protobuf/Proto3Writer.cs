using System.Buffers.Binary;
using System.Text;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// Writes one protobuf message in the wire format, field by field, with proto3's rule that a scalar at its default
/// (empty string, false, 0) is not written. A nested message is written whole once it is done (its length first).
/// </summary>
internal sealed class Proto3Writer
{
    private readonly MemoryStream _buffer = new();

    public Proto3Writer String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }
        return this;
    }

    public Proto3Writer Bool(int field, bool value)
    {
        if (value)
        {
            Key(field, WireType.Varint);
            Varint(1);
        }
        return this;
    }

    /// <summary>A bool that is part of a oneof: written even when false, since its presence says which member is set.</summary>
    public Proto3Writer OneofBool(int field, bool value)
    {
        Key(field, WireType.Varint);
        Varint(value ? 1UL : 0UL);
        return this;
    }

    public Proto3Writer Int64(int field, long value)
    {
        if (value != 0)
        {
            Key(field, WireType.Varint);
            Varint(unchecked((ulong)value));
        }
        return this;
    }

    public Proto3Writer Double(int field, double value)
    {
        if (value != 0)
        {
            Key(field, WireType.Fixed64);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            _buffer.Write(bytes);
        }
        return this;
    }

    /// <summary>A nested message; written even when empty, since its presence is what it says (an empty <c>properties</c>).</summary>
    public Proto3Writer Message(int field, Proto3Writer message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Key(field, WireType.LengthDelimited);
        Varint((ulong)message._buffer.Length);
        message._buffer.Position = 0;
        message._buffer.CopyTo(_buffer);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void Bytes(int field, byte[] value)
    {
        Key(field, WireType.LengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void Key(int field, WireType type) => Varint(((ulong)field << 3) | (ulong)type);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
