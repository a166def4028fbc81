using System.Text;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Api;

/// <summary>
/// kubectl's typed commands (`kubectl create namespace`) send Kubernetes protobuf and do not fall back to
/// JSON. Without the generated proto schemas this decodes what such bodies carry in practice: the `k8s\0`
/// envelope (runtime.Unknown with apiVersion and kind) and an object whose only non-empty field is
/// ObjectMeta (field 1: name, generateName, namespace, labels, annotations), plus the data fields of
/// ConfigMap and Secret (`kubectl create configmap|secret`). Anything more is refused
/// with 415 naming the kind, so nothing is silently dropped.
/// </summary>
public static class ProtobufMetadataDecoder
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    private enum Shape
    {
        String,
        Bool,
        StringMap,
        BytesMap,
    }

    /// <summary>Field numbers from the core/v1 generated.proto of the kinds `kubectl create` makes with data.</summary>
    private static readonly Dictionary<(string Kind, int Field), (string Name, Shape Shape)> KnownFields = new()
    {
        [("ConfigMap", 2)] = ("data", Shape.StringMap),
        [("ConfigMap", 3)] = ("binaryData", Shape.BytesMap),
        [("ConfigMap", 4)] = ("immutable", Shape.Bool),
        [("Secret", 2)] = ("data", Shape.BytesMap),
        [("Secret", 3)] = ("type", Shape.String),
        [("Secret", 4)] = ("stringData", Shape.StringMap),
        [("Secret", 5)] = ("immutable", Shape.Bool),
    };

    /// <summary>A proto map arrives as repeated entries {key=1, value=2}; bytes values become base64, as in JSON.</summary>
    private static JsonObject MergeEntry(JsonObject? map, byte[] entryBytes, bool bytesValue)
    {
        map ??= new JsonObject();
        var entry = Fields(entryBytes).ToDictionary(f => f.Field, f => f.Bytes);
        var key = Encoding.UTF8.GetString(entry.GetValueOrDefault(1, []));
        var value = entry.GetValueOrDefault(2, []);
        map[key] = bytesValue ? Convert.ToBase64String(value) : Encoding.UTF8.GetString(value);
        return map;
    }

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
        var kind = obj["kind"]?.GetValue<string>() ?? "";
        foreach (var (field, wire, varint, bytes) in Scan(raw))
        {
            if (field == 1)
            {
                obj["metadata"] = Metadata(bytes);
            }
            else if (KnownFields.TryGetValue((kind, field), out var known))
            {
                if (known.Shape == Shape.String && bytes.Length == 0)
                {
                    continue; // proto3 has no "unset" for strings: empty means omitted, as in JSON.
                }
                obj[known.Name] = known.Shape switch
                {
                    Shape.Bool => JsonValue.Create(varint != 0),
                    Shape.String => JsonValue.Create(Encoding.UTF8.GetString(bytes)),
                    _ => MergeEntry(obj[known.Name] as JsonObject, bytes, known.Shape == Shape.BytesMap),
                };
            }
            else if (wire == 0 ? varint != 0 : !IsEmpty(bytes))
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
            var fields = Scan(message);
            return fields.All(f => f.Wire != 0 || f.Varint == 0) && fields.All(f => f.Bytes.Length == 0 || IsEmpty(f.Bytes));
        }
        catch (ApiException)
        {
            return false;
        }
    }

    /// <summary>Length-delimited fields of a message (strings, bytes, messages, map entries).</summary>
    private static List<(int Field, byte[] Bytes)> Fields(byte[] message) =>
        Scan(message).Where(f => f.Wire == 2).Select(f => (f.Field, f.Bytes)).ToList();

    private static List<(int Field, int Wire, ulong Varint, byte[] Bytes)> Scan(byte[] message)
    {
        var fields = new List<(int, int, ulong, byte[])>();
        var i = 0;
        while (i < message.Length)
        {
            var key = ReadVarint(message, ref i);
            var wire = (int)(key & 7);
            var field = (int)(key >> 3);
            switch (wire)
            {
                case 0:
                    fields.Add((field, wire, ReadVarint(message, ref i), []));
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    if (length < 0 || length > message.Length - i)
                    {
                        throw ApiErrors.BadRequest("truncated protobuf body");
                    }
                    fields.Add((field, wire, 0, message.AsSpan(i, length).ToArray()));
                    i += length;
                    break;
                case 1 or 5:
                    i += wire == 1 ? 8 : 4;
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
