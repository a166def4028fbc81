using System.Runtime.InteropServices;
using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>Converts the JSON "data" of a tensor (flat or nested arrays, row-major) to and from raw element bytes.</summary>
public static class JsonTensorData
{
    public static byte[] Read(string tensor, JsonElement data, TensorElementType type, long count)
    {
        var size = TensorElementTypes.SizeOf(type);
        var bytes = new byte[count * size];
        if (TryReadText(JsonMarshal.GetRawUtf8Value(data), type, bytes, count))
        {
            return bytes;
        }
        // Anything the quick pass does not take (a value of the wrong kind, too many or too few values) goes through
        // the element walk, which names the offending value.
        var written = 0L;
        Fill(tensor, data, type, bytes, ref written, count);
        if (written != count)
        {
            throw InferException.Invalid($"input '{tensor}': its shape needs {count} values, \"data\" has {written}");
        }
        return bytes;
    }

    /// <summary>
    /// The common case in one pass over the array's JSON text: exactly <paramref name="count"/> valid values, nested
    /// arrays flattened. Walking JsonElements instead looks every value up in the document again, which was most of
    /// the cost of a REST request.
    /// </summary>
    private static bool TryReadText(ReadOnlySpan<byte> json, TensorElementType type, byte[] bytes, long count)
    {
        var reader = new Utf8JsonReader(json);
        var written = 0;
        while (reader.Read())
        {
            var ok = reader.TokenType switch
            {
                JsonTokenType.StartArray or JsonTokenType.EndArray => true,
                JsonTokenType.True or JsonTokenType.False => type == TensorElementType.Bool && written < count
                    && Put(bytes, written++, reader.TokenType == JsonTokenType.True),
                JsonTokenType.Number => type != TensorElementType.Bool && written < count && PutNumber(ref reader, type, bytes, written++),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return written == count;
    }

    private static bool PutNumber(ref Utf8JsonReader reader, TensorElementType type, byte[] bytes, int index) => type switch
    {
        TensorElementType.Float => reader.TryGetDouble(out var d) && Put(bytes, index, (float)d),
        TensorElementType.Double => reader.TryGetDouble(out var d) && Put(bytes, index, d),
        TensorElementType.Float16 => reader.TryGetDouble(out var d) && Put(bytes, index, (Half)d),
        TensorElementType.Int64 => reader.TryGetInt64(out var l) && Put(bytes, index, l),
        TensorElementType.Int32 => reader.TryGetInt32(out var i) && Put(bytes, index, i),
        TensorElementType.Int8 => reader.TryGetSByte(out var b) && Put(bytes, index, b),
        TensorElementType.UInt8 => reader.TryGetByte(out var u) && Put(bytes, index, u),
        _ => false,
    };

    private static void Fill(string tensor, JsonElement element, TensorElementType type, byte[] bytes, ref long written, long count)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Fill(tensor, item, type, bytes, ref written, count);
            }
            return;
        }
        if (written >= count)
        {
            // Keep counting without writing so the error says how many values came.
            written++;
            return;
        }
        var index = (int)written;
        var ok = type == TensorElementType.Bool
            ? element.ValueKind is JsonValueKind.True or JsonValueKind.False && Put(bytes, index, element.ValueKind == JsonValueKind.True)
            : element.ValueKind == JsonValueKind.Number && type switch
            {
                TensorElementType.Float => element.TryGetDouble(out var d) && Put(bytes, index, (float)d),
                TensorElementType.Double => element.TryGetDouble(out var d) && Put(bytes, index, d),
                TensorElementType.Float16 => element.TryGetDouble(out var d) && Put(bytes, index, (Half)d),
                TensorElementType.Int64 => element.TryGetInt64(out var l) && Put(bytes, index, l),
                TensorElementType.Int32 => element.TryGetInt32(out var i) && Put(bytes, index, i),
                TensorElementType.Int8 => element.TryGetSByte(out var b) && Put(bytes, index, b),
                TensorElementType.UInt8 => element.TryGetByte(out var u) && Put(bytes, index, u),
                _ => false,
            };
        if (!ok)
        {
            throw InferException.Invalid($"input '{tensor}': data[{written}] = {Shorten(element.GetRawText())} is not a {Datatypes.Name(type)} value");
        }
        written++;
    }

    /// <summary>Stores element <paramref name="index"/>; returns true so it chains after a successful parse.</summary>
    private static bool Put<T>(byte[] bytes, int index, T value) where T : unmanaged
    {
        MemoryMarshal.Cast<byte, T>(bytes.AsSpan())[index] = value;
        return true;
    }

    public static void Write(Utf8JsonWriter writer, InferTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tensor);
        writer.WriteStartArray();
        var data = tensor.Data.Span;
        switch (tensor.ElementType)
        {
            case TensorElementType.Float:
                foreach (var v in MemoryMarshal.Cast<byte, float>(data)) { WriteFloat(writer, v); }
                break;
            case TensorElementType.Double:
                foreach (var v in MemoryMarshal.Cast<byte, double>(data)) { WriteFloat(writer, v); }
                break;
            case TensorElementType.Float16:
                foreach (var v in MemoryMarshal.Cast<byte, Half>(data)) { WriteFloat(writer, (float)v); }
                break;
            case TensorElementType.Int64:
                foreach (var v in MemoryMarshal.Cast<byte, long>(data)) { writer.WriteNumberValue(v); }
                break;
            case TensorElementType.Int32:
                foreach (var v in MemoryMarshal.Cast<byte, int>(data)) { writer.WriteNumberValue(v); }
                break;
            case TensorElementType.Int8:
                foreach (var v in MemoryMarshal.Cast<byte, sbyte>(data)) { writer.WriteNumberValue(v); }
                break;
            case TensorElementType.UInt8:
                foreach (var v in data) { writer.WriteNumberValue(v); }
                break;
            case TensorElementType.Bool:
                foreach (var v in data) { writer.WriteBooleanValue(v != 0); }
                break;
            default:
                throw new NotSupportedException($"output '{tensor.Name}' has element type {tensor.ElementType}, which the pod does not serve");
        }
        writer.WriteEndArray();
    }

    /// <summary>JSON has no NaN or infinity; they are written as null rather than producing invalid JSON.</summary>
    private static void WriteFloat(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
