namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// One field as read off the wire: its number and wire type, and its value: the bits of a varint or fixed-width
/// number, or the bytes of a length-delimited field (a string, bytes, a nested message, a map entry or a packed list).
/// </summary>
internal readonly ref struct ProtoField(int number, WireType wireType, ulong bits, ReadOnlySpan<byte> bytes)
{
    public int Number { get; } = number;

    public WireType WireType { get; } = wireType;

    /// <summary>A varint's value, or a fixed-width field's bits; 0 for a length-delimited field.</summary>
    public ulong Bits { get; } = bits;

    /// <summary>A length-delimited field's bytes; empty for the others.</summary>
    public ReadOnlySpan<byte> Bytes { get; } = bytes;
}
