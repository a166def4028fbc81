using System.Buffers.Binary;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// Reads the fields of one protobuf message in order, without copying. Anything malformed (a field cut short, a varint
/// longer than ten bytes, a length past the end of its message, field number 0, a group or an unknown wire type) is
/// a 400 that says what and where: the body is the client's mistake, and reading it must never crash the server.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> message)
{
    /// <summary>The largest field number protobuf allows (2^29 - 1).</summary>
    private const ulong MaxFieldNumber = (1 << 29) - 1;

    private readonly ReadOnlySpan<byte> _message = message;
    private int _offset;

    /// <summary>Reads the next field; false at the end of the message.</summary>
    public bool TryRead(out ProtoField field)
    {
        if (_offset >= _message.Length)
        {
            field = default;
            return false;
        }
        var start = _offset;
        var key = ReadVarint();
        var number = key >> 3;
        if (number is 0 or > MaxFieldNumber)
        {
            throw Malformed($"field number {number} at byte {start}");
        }
        var wireType = (WireType)(key & 7);
        switch (wireType)
        {
            case WireType.Varint:
                field = new ProtoField((int)number, wireType, ReadVarint(), default);
                return true;
            case WireType.Fixed64:
                field = new ProtoField((int)number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(Take(8, number, start)), default);
                return true;
            case WireType.Fixed32:
                field = new ProtoField((int)number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(Take(4, number, start)), default);
                return true;
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > (ulong)(_message.Length - _offset))
                {
                    throw Malformed($"field {number} at byte {start} says it is {length} bytes long, past the end of its message");
                }
                field = new ProtoField((int)number, wireType, 0, Take((int)length, number, start));
                return true;
            default:
                throw Malformed($"field {number} at byte {start} has wire type {(int)wireType}, which Kubernetes protobuf does not use");
        }
    }

    /// <summary>Reads the next varint of a packed list (varints back to back, no keys); false at the end.</summary>
    public bool TryReadVarint(out ulong value)
    {
        if (_offset >= _message.Length)
        {
            value = 0;
            return false;
        }
        value = ReadVarint();
        return true;
    }

    public static ApiException Malformed(string what) => ApiErrors.BadRequest($"the protobuf body is malformed: {what}");

    private ReadOnlySpan<byte> Take(int length, ulong number, int start)
    {
        if (length > _message.Length - _offset)
        {
            throw Malformed($"field {number} at byte {start} is cut short");
        }
        var bytes = _message.Slice(_offset, length);
        _offset += length;
        return bytes;
    }

    private ulong ReadVarint()
    {
        var start = _offset;
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_offset >= _message.Length)
            {
                throw Malformed($"the varint at byte {start} is cut short");
            }
            var b = _message[_offset++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw Malformed($"the varint at byte {start} is longer than ten bytes");
    }
}
