namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// What one field number of a message holds: a property of the definition (<see cref="Property"/>, with
/// <see cref="Pointer"/> saying a present zero is a value to keep), or an embedded Go struct (<see cref="Embedded"/>)
/// whose fields are more properties of the same JSON object.
/// </summary>
internal sealed record ProtobufFieldEntry(string? Property, bool Pointer, ProtobufMessageLayout? Embedded);
