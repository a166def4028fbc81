using System.Runtime.InteropServices;
using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Writes a response tensor's raw element bytes as its JSON "data" (a flat array). Requests are read by
/// <see cref="JsonTensorReader"/> within the parser's single pass.
/// </summary>
public static class JsonTensorData
{
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
}
