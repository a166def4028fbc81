using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// kubectl's typed commands (`kubectl create deployment|service|role|...`) send Kubernetes protobuf and do not fall
/// back to JSON. This turns such a body into the JSON object the rest of the server handles, for every built-in kind
/// whose field numbers <see cref="ProtobufFieldTable"/> lists. Malformed bytes are a 400; a kind or field the table
/// does not cover is a 415 naming it; a custom resource is a 415 as on the real server (CRDs serve JSON and YAML only).
/// </summary>
public static class ProtobufObjectDecoder
{
    public static JsonObject Decode(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var envelope = ProtobufEnvelope.Read(body);
        if (envelope.ApiVersion.Length == 0 || envelope.Kind.Length == 0)
        {
            throw ApiErrors.BadRequest("the protobuf body's envelope names no apiVersion and kind");
        }
        var slash = envelope.ApiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", envelope.ApiVersion) : (envelope.ApiVersion[..slash], envelope.ApiVersion[(slash + 1)..]);
        var type = TypedSchemas.Instance.ForKind(group, version, envelope.Kind)
            ?? throw new ApiException(415, "UnsupportedMediaType",
                $"{envelope.Kind} ({envelope.ApiVersion}) is not a built-in kind; send custom resources as JSON or YAML");
        var obj = new JsonObject { ["apiVersion"] = envelope.ApiVersion, ["kind"] = envelope.Kind };
        new ProtobufMessageDecoder(ProtobufFieldTable.Instance).Decode(envelope.Raw, type, obj);
        return obj;
    }
}
