namespace RecOperator.InferencePod.GrpcApi;

/// <summary>
/// The protobuf wire format's primitives over a span: varints, tags and length-delimited fields. Every reader answers
/// false for anything malformed or out of bounds, so a caller can hand such a message to the generated parser, which
/// then reports the problem in its own words.
/// </summary>
internal static class ProtoWire
{
    public const int Varint = 0;
    public const int LengthDelimited = 2;

    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reads a field's tag: its number and wire type.</summary>
    public static bool TryReadTag(ReadOnlySpan<byte> data, ref int position, out int field, out int wireType)
    {
        if (!TryReadVarint(data, ref position, out var tag) || tag > uint.MaxValue || (tag >> 3) == 0)
        {
            (field, wireType) = (0, 0);
            return false;
        }
        (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
        return true;
    }

    /// <summary>Reads a length-delimited field's payload as an (offset, length) range of <paramref name="data"/>.</summary>
    public static bool TryReadLengthDelimited(ReadOnlySpan<byte> data, ref int position, out int offset, out int length)
    {
        (offset, length) = (0, 0);
        if (!TryReadVarint(data, ref position, out var size) || size > (ulong)(data.Length - position))
        {
            return false;
        }
        (offset, length) = (position, (int)size);
        position += length;
        return true;
    }

    /// <summary>Elements of a packed repeated varint field, or -1 when it is malformed.</summary>
    public static int CountPackedVarints(ReadOnlySpan<byte> packed)
    {
        var count = 0;
        var position = 0;
        while (position < packed.Length)
        {
            if (!TryReadVarint(packed, ref position, out _))
            {
                return -1;
            }
            count++;
        }
        return count;
    }
}
