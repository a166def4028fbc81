using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecOperator.DevCluster.Api.Protobuf;

/// <summary>
/// The types whose protobuf form is a fixed message of their own rather than a table of properties, each written as
/// its Go type's JSON encoder writes it: IntOrString {type=1, intVal=2, strVal=3} as a number or a string,
/// resource.Quantity {string=1} as its string, metav1.Time and MicroTime {seconds=1, nanos=2} as RFC 3339 text, and
/// raw JSON (FieldsV1, RawExtension: {raw=1}) as the JSON it holds. <paramref name="where"/> names the field in errors.
/// </summary>
internal static class ProtobufValues
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>As for a JSON body (HttpIo): a key given twice is an error, not a value that surfaces later.</summary>
    private static readonly JsonDocumentOptions RawJsonOptions = new() { AllowDuplicateProperties = false };

    /// <summary>A proto string: UTF-8, refused when it is not (JSON cannot carry the bytes).</summary>
    public static string Text(ReadOnlySpan<byte> bytes, string where)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ProtoReader.Malformed($"{where} is not valid UTF-8");
        }
    }

    /// <summary>Type 0 is the int, type 1 the string, as intstr.IntOrString's JSON encoder writes them.</summary>
    public static JsonValue IntOrString(ReadOnlySpan<byte> message, string where)
    {
        ulong type = 0;
        long number = 0;
        var text = "";
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            switch (field.Number)
            {
                case 1 when field.WireType == WireType.Varint:
                    type = field.Bits;
                    break;
                case 2 when field.WireType == WireType.Varint:
                    number = (long)field.Bits;
                    break;
                case 3 when field.WireType == WireType.LengthDelimited:
                    text = Text(field.Bytes, where);
                    break;
                default:
                    throw ProtoReader.Malformed($"{where}: an IntOrString has no field {field.Number} of wire type {(int)field.WireType}");
            }
        }
        return type switch
        {
            0 when number is >= int.MinValue and <= int.MaxValue => JsonValue.Create((int)number),
            0 => throw ProtoReader.Malformed($"{where}: {number} is out of the int32 range of an IntOrString"),
            1 => JsonValue.Create(text),
            _ => throw ProtoReader.Malformed($"{where}: IntOrString type {type} is neither 0 (int) nor 1 (string)"),
        };
    }

    /// <summary>The quantity's text as sent; the typed decode canonicalizes it. An empty message is Go's zero quantity, "0".</summary>
    public static JsonValue Quantity(ReadOnlySpan<byte> message, string where)
    {
        var text = "0";
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            if (field.Number != 1 || field.WireType != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed($"{where}: a Quantity has no field {field.Number} of wire type {(int)field.WireType}");
            }
            text = Text(field.Bytes, where);
        }
        return JsonValue.Create(text);
    }

    /// <summary>
    /// Null for an empty message (Go's zero time, which JSON writes as null); otherwise UTC at the type's precision:
    /// whole seconds for Time (its unmarshaler drops the nanos), microseconds for MicroTime.
    /// </summary>
    public static JsonValue? Time(ReadOnlySpan<byte> message, bool micro, string where)
    {
        if (message.IsEmpty)
        {
            return null;
        }
        long seconds = 0;
        long nanos = 0;
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            switch (field.Number)
            {
                case 1 when field.WireType == WireType.Varint:
                    seconds = (long)field.Bits;
                    break;
                case 2 when field.WireType == WireType.Varint:
                    nanos = (long)field.Bits;
                    break;
                default:
                    throw ProtoReader.Malformed($"{where}: a Time has no field {field.Number} of wire type {(int)field.WireType}");
            }
        }
        if (seconds is < -62135596800 or > 253402300799 || nanos is < 0 or > 999_999_999)
        {
            throw ProtoReader.Malformed($"{where}: {seconds}s {nanos}ns is not a time between years 1 and 9999");
        }
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        return micro
            ? JsonValue.Create(time.AddTicks(nanos / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            : JsonValue.Create(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>A message whose field 1 holds raw JSON (FieldsV1, RawExtension); null when it holds none.</summary>
    public static JsonNode? RawJson(ReadOnlySpan<byte> message, string where)
    {
        JsonNode? value = null;
        var reader = new ProtoReader(message);
        while (reader.TryRead(out var field))
        {
            if (field.Number != 1 || field.WireType != WireType.LengthDelimited)
            {
                throw ProtoReader.Malformed($"{where}: raw JSON has no field {field.Number} of wire type {(int)field.WireType}");
            }
            try
            {
                value = field.Bytes.IsEmpty ? null : JsonNode.Parse(field.Bytes, documentOptions: RawJsonOptions);
            }
            catch (JsonException e)
            {
                throw ProtoReader.Malformed($"{where} holds bytes that are not JSON: {e.Message}");
            }
        }
        return value;
    }
}
