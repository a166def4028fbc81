namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// One line of protobuf-field-numbers.txt: a property of an OpenAPI definition, where it sits on the wire (one field
/// number, or two when the Go struct embeds the one that holds it), and whether its Go field is a pointer.
/// </summary>
internal sealed record ProtobufFieldRow(string Definition, string Property, IReadOnlyList<int> Path, bool Pointer);
