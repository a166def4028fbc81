using System.Text;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// kubectl's typed commands (`kubectl create namespace`) send Kubernetes protobuf and do not fall back to
/// JSON. Without the generated proto schemas this decodes what such bodies carry in practice: the `k8s\0`
/// envelope (runtime.Unknown with apiVersion and kind) and an object whose only non-empty field is
/// ObjectMeta (field 1: name, generateName, namespace, labels, annotations). Anything more is refused
/// with 415 naming the kind, so nothing is silently dropped.
/// </summary>
public static class ProtobufMetadataDecoder
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || !body.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw ApiErrors.BadRequest("protobuf body without the k8s envelope");
        }
        var obj = new JsonObject();
        byte[] raw = [];
        foreach (var (field, bytes) in Fields(body.AsSpan(4).ToArray()))
        {
            if (field == 1)
            {
                foreach (var (typeField, value) in Fields(bytes))
                {
                    obj[typeField == 1 ? "apiVersion" : "kind"] = Encoding.UTF8.GetString(value);
                }
            }
            else if (field == 2)
            {
                raw = bytes;
            }
        }
        foreach (var (field, bytes) in Fields(raw))
        {
            if (field == 1)
            {
                obj["metadata"] = Metadata(bytes);
            }
            else if (!IsEmpty(bytes))
            {
                throw ApiErrors.UnsupportedMediaType($"application/vnd.kubernetes.protobuf ({obj["kind"]} with a spec: send JSON)");
            }
        }
        return obj;
    }

    private static JsonObject Metadata(byte[] bytes)
    {
        var meta = new JsonObject();
        foreach (var (field, value) in Fields(bytes))
        {
            switch (field)
            {
                case 1:
                    meta["name"] = Encoding.UTF8.GetString(value);
                    break;
                case 2 when value.Length > 0:
                    meta["generateName"] = Encoding.UTF8.GetString(value);
                    break;
                case 3:
                    meta["namespace"] = Encoding.UTF8.GetString(value);
                    break;
                case 11 or 12:
                    var map = meta[field == 11 ? "labels" : "annotations"] as JsonObject ?? new JsonObject();
                    var entry = Fields(value).ToDictionary(f => f.Field, f => Encoding.UTF8.GetString(f.Bytes));
                    map[entry.GetValueOrDefault(1, "")] = entry.GetValueOrDefault(2, "");
                    meta[field == 11 ? "labels" : "annotations"] = map;
                    break;
            }
        }
        return meta;
    }

    /// <summary>An empty spec or status still arrives as nested empty messages (`status{phase:""}`).</summary>
    private static bool IsEmpty(byte[] message)
    {
        try
        {
            return Fields(message).All(f => f.Bytes.Length == 0 || IsEmpty(f.Bytes)) && !HasNonZeroVarint(message);
        }
        catch (ApiException)
        {
            return false;
        }
    }

    private static bool HasNonZeroVarint(byte[] message)
    {
        var i = 0;
        while (i < message.Length)
        {
            var key = ReadVarint(message, ref i);
            switch (key & 7)
            {
                case 0 when ReadVarint(message, ref i) != 0:
                    return true;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    i += length;
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
            }
        }
        return false;
    }

    /// <summary>Length-delimited fields of a message; varint fields are skipped (metadata needs none).</summary>
    private static List<(int Field, byte[] Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var i = 0;
        while (i < message.Length)
        {
            var key = ReadVarint(message, ref i);
            var wire = (int)(key & 7);
            var field = (int)(key >> 3);
            switch (wire)
            {
                case 0:
                    ReadVarint(message, ref i);
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    fields.Add((field, message.AsSpan(i, length).ToArray()));
                    i += length;
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw ApiErrors.BadRequest($"protobuf body has an unknown wire type {wire}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= data.Length)
            {
                throw ApiErrors.BadRequest("truncated protobuf body");
            }
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw ApiErrors.BadRequest("protobuf varint too long");
    }
}
