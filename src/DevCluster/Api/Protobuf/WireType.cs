namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>The protobuf wire types: the low three bits of a field's key say how its value is laid out.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,

    /// <summary>Groups (3 and 4) are proto1; go-to-protobuf never emits them, so a body that has one is malformed.</summary>
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
