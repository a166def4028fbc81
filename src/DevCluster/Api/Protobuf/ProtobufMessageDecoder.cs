using System.Globalization;
using System.Text.Json.Nodes;
using RecOperator.DevCluster.Validation;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// Turns a protobuf message into the JSON the real server's JSON encoder writes for the same Go struct, driven by
/// data only: property names and types from the OpenAPI document (<see cref="TypedField"/>), field numbers from
/// <see cref="ProtobufFieldTable"/>. Kubernetes protobuf is proto2, so presence is explicit, but go-to-protobuf writes
/// every non-pointer field, zero or not; a zero scalar is therefore left out unless its Go field is a pointer or the
/// document marks it required (no omitempty), which is what the JSON encoder would have written. Nested messages are
/// kept even when empty (`resources: {}`), as Go writes struct values. A field number the table does not know is a 415
/// naming it: nothing is dropped silently.
/// </summary>
internal sealed class ProtobufMessageDecoder(ProtobufFieldTable table)
{
    /// <summary>The schema bounds the depth already (no listed type contains itself); this only guards a bug there.</summary>
    private const int MaxDepth = 64;

    /// <summary>Decodes <paramref name="message"/>, a message of <paramref name="type"/>, into <paramref name="target"/>.</summary>
    public void Decode(ReadOnlySpan<byte> message, TypedField type, JsonObject target) =>
        DecodeMessage(message, type, LayoutOf(type, ""), target, "", 0);

    private void DecodeMessage(ReadOnlySpan<byte> message, TypedField type, ProtobufMessageLayout layout, JsonObject target, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw ProtoReader.Malformed($"messages are nested more than {MaxDepth} deep at {Where(path)}");
        }
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            var entry = layout.Find(field.Number) ?? throw Unsupported($"protobuf field {field.Number} of {layout.Name} (at {Where(path)})");
            if (entry.Embedded is { } embedded)
            {
                Expect(field, WireType.LengthDelimited, layout.Name, path);
                DecodeMessage(field.Bytes, type, embedded, target, path, depth + 1);
                continue;
            }
            var name = entry.Property!;
            var property = type.Fields.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"protobuf-field-numbers.txt lists {layout.Name} {name}, which the OpenAPI document does not have");
            var where = Child(path, name);
            switch (property.Shape)
            {
                case FieldShape.List:
                    AddItems(ChildAt(target, name, static () => new JsonArray()), property.Element!, field, where, depth);
                    break;
                case FieldShape.Map:
                    AddEntry(ChildAt(target, name, static () => new JsonObject()), property.Element!, field, where, depth);
                    break;
                case FieldShape.Struct:
                    // A message field sent twice merges, as protobuf defines it.
                    Expect(field, WireType.LengthDelimited, property.TypeName, where);
                    DecodeMessage(field.Bytes, property, LayoutOf(property, where), ChildAt(target, name, static () => new JsonObject()), where, depth + 1);
                    break;
                default:
                    var value = Value(field, property, where, depth);
                    var omitted = value is null || (IsZero(property.Shape, value) && !entry.Pointer && !type.Required.Contains(name));
                    if (!omitted)
                    {
                        target[name] = value;
                    }
                    else
                    {
                        target.Remove(name);
                    }
                    break;
            }
        }
    }

    /// <summary>One value that is not a list or map: a scalar, a message of its own, or one of the fixed encodings.</summary>
    private JsonNode? Value(ProtoField field, TypedField type, string where, int depth)
    {
        switch (type.Shape)
        {
            case FieldShape.String:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return JsonValue.Create(ProtobufValues.Text(field.Bytes, where));
            case FieldShape.Bytes:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return JsonValue.Create(Convert.ToBase64String(field.Bytes));
            case FieldShape.Integer:
                Expect(field, WireType.Varint, type.TypeName, where);
                var number = (long)field.Bits;
                return number >= type.Minimum && number <= type.Maximum
                    ? JsonValue.Create(number)
                    : throw ProtoReader.Malformed($"{where}: {number} is out of the range of {type.TypeName}");
            case FieldShape.Boolean:
                Expect(field, WireType.Varint, type.TypeName, where);
                return JsonValue.Create(field.Bits != 0);
            case FieldShape.Number:
                return Number(field, where);
            case FieldShape.IntOrString:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return ProtobufValues.IntOrString(field.Bytes, where);
            case FieldShape.Quantity:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return ProtobufValues.Quantity(field.Bytes, where);
            case FieldShape.Time or FieldShape.MicroTime:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return ProtobufValues.Time(field.Bytes, type.Shape == FieldShape.MicroTime, where);
            case FieldShape.Any:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                return ProtobufValues.RawJson(field.Bytes, where);
            case FieldShape.Struct:
                Expect(field, WireType.LengthDelimited, type.TypeName, where);
                var message = new JsonObject();
                DecodeMessage(field.Bytes, type, LayoutOf(type, where), message, where, depth + 1);
                return message;
            default:
                // Lists of lists and maps of lists travel in wrapper messages of their own; none of the listed kinds has one.
                throw Unsupported($"{where}, a {type.Shape} inside a list or map,");
        }
    }

    /// <summary>A repeated field: one item per field, or many varints packed into one length-delimited field.</summary>
    private void AddItems(JsonArray items, TypedField element, ProtoField field, string where, int depth)
    {
        if (field.WireType == WireType.LengthDelimited && element.Shape is FieldShape.Integer or FieldShape.Boolean)
        {
            var packed = new ProtoReader(field.Bytes);
            while (packed.TryReadVarint(out var bits))
            {
                items.Add(Value(new ProtoField(field.Number, WireType.Varint, bits, default), element, Index(where, items.Count), depth));
            }
            return;
        }
        items.Add(Value(field, element, Index(where, items.Count), depth));
    }

    /// <summary>A map arrives as repeated entry messages {key=1, value=2}; a missing value is its type's zero value.</summary>
    private void AddEntry(JsonObject map, TypedField element, ProtoField field, string where, int depth)
    {
        Expect(field, WireType.LengthDelimited, "a map entry", where);
        var key = "";
        JsonNode? value = null;
        var hasValue = false;
        var reader = new ProtoReader(field.Bytes);
        while (reader.TryRead(out var part))
        {
            switch (part.Number)
            {
                case 1:
                    Expect(part, WireType.LengthDelimited, "a map key", where);
                    key = ProtobufValues.Text(part.Bytes, where);
                    break;
                case 2:
                    value = Value(part, element, where, depth);
                    hasValue = true;
                    break;
                default:
                    throw ProtoReader.Malformed($"{where}: a map entry has no field {part.Number}");
            }
        }
        map[key] = hasValue ? value : ZeroOf(element, where);
    }

    private static JsonValue Number(ProtoField field, string where)
    {
        var number = field.WireType switch
        {
            WireType.Fixed64 => BitConverter.UInt64BitsToDouble(field.Bits),
            WireType.Fixed32 => BitConverter.UInt32BitsToSingle((uint)field.Bits),
            _ => throw ProtoReader.Malformed($"{where} has wire type {(int)field.WireType}, but a number is fixed64 or fixed32"),
        };
        return double.IsFinite(number) ? JsonValue.Create(number) : throw ProtoReader.Malformed($"{where}: {number} has no JSON form");
    }

    private static JsonNode? ZeroOf(TypedField type, string where) => type.Shape switch
    {
        FieldShape.String or FieldShape.Bytes => JsonValue.Create(""),
        FieldShape.Integer or FieldShape.Number or FieldShape.IntOrString => JsonValue.Create(0),
        FieldShape.Boolean => JsonValue.Create(false),
        FieldShape.Quantity => JsonValue.Create("0"),
        FieldShape.Struct => new JsonObject(),
        FieldShape.Time or FieldShape.MicroTime or FieldShape.Any => null,
        _ => throw Unsupported($"{where}, a map of {type.Shape},"),
    };

    /// <summary>The zero scalars the Go JSON encoder leaves out under omitempty; a message (IntOrString, Quantity) is never one.</summary>
    private static bool IsZero(FieldShape shape, JsonNode? value) => shape switch
    {
        FieldShape.String or FieldShape.Bytes => value!.GetValue<string>().Length == 0,
        FieldShape.Boolean => !value!.GetValue<bool>(),
        FieldShape.Integer => value!.GetValue<long>() == 0,
        FieldShape.Number => value!.GetValue<double>() == 0,
        _ => false,
    };

    private ProtobufMessageLayout LayoutOf(TypedField type, string where) =>
        table.LayoutOf(type.Definition) ?? throw Unsupported($"protobuf messages of {type.Definition ?? type.TypeName} (at {Where(where)})");

    /// <summary>The list a repeated field adds to, or the object a message or map field fills, made on first use.</summary>
    private static T ChildAt<T>(JsonObject target, string name, Func<T> create)
        where T : JsonNode
    {
        if (target[name] is T existing)
        {
            return existing;
        }
        var created = create();
        target[name] = created;
        return created;
    }

    private static void Expect(ProtoField field, WireType wanted, string what, string where)
    {
        if (field.WireType != wanted)
        {
            throw ProtoReader.Malformed($"field {field.Number} at {Where(where)} has wire type {(int)field.WireType}, but {what} is read as wire type {(int)wanted}");
        }
    }

    private static ApiException Unsupported(string what) =>
        new(415, "UnsupportedMediaType", $"{what} is not one DevCluster decodes from protobuf; send this object as JSON");

    private static string Where(string path) => path.Length == 0 ? "the object" : path;

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Index(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";
}
