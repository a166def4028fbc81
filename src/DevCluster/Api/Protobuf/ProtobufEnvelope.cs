namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// The envelope Kubernetes wraps a protobuf object in: the magic bytes `k8s\0`, then a runtime.Unknown message whose
/// typeMeta (field 1: apiVersion 1, kind 2) names the kind and whose raw (field 2) is the object's own message;
/// contentEncoding (3) and contentType (4) are empty for a plain object.
/// </summary>
internal readonly ref struct ProtobufEnvelope(string apiVersion, string kind, ReadOnlySpan<byte> raw)
{
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public string ApiVersion { get; } = apiVersion;

    public string Kind { get; } = kind;

    public ReadOnlySpan<byte> Raw { get; } = raw;

    public static ProtobufEnvelope Read(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ProtoReader.Malformed("it does not start with the k8s\\0 envelope");
        }
        var apiVersion = "";
        var kind = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtoReader(body[Magic.Length..]);
        while (reader.TryRead(out var field))
        {
            if (field.WireType != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed($"envelope field {field.Number} has wire type {(int)field.WireType}");
            }
            switch (field.Number)
            {
                case 1:
                    (apiVersion, kind) = TypeMeta(field.Bytes);
                    break;
                case 2:
                    raw = field.Bytes;
                    break;
                case 3 when field.Bytes.Length > 0:
                    throw new ApiException(415, "UnsupportedMediaType",
                        $"the protobuf envelope's content encoding {ProtobufValues.Text(field.Bytes, "contentEncoding")} is not supported");
                case 3 or 4:
                    break;
                default:
                    throw ProtoReader.Malformed($"the envelope has no field {field.Number}");
            }
        }
        return new ProtobufEnvelope(apiVersion, kind, raw);
    }

    private static (string ApiVersion, string Kind) TypeMeta(ReadOnlySpan<byte> message)
    {
        var apiVersion = "";
        var kind = "";
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            if (field.WireType != WireType.LengthDelimited || field.Number is not (1 or 2))
            {
                throw ProtoReader.Malformed($"the envelope's typeMeta has no field {field.Number} of wire type {(int)field.WireType}");
            }
            var text = ProtobufValues.Text(field.Bytes, field.Number == 1 ? "apiVersion" : "kind");
            (apiVersion, kind) = field.Number == 1 ? (text, kind) : (apiVersion, text);
        }
        return (apiVersion, kind);
    }
}
