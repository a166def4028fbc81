using System.Runtime.InteropServices;
using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Reads a tensor's JSON "data" (flat or nested arrays, row-major) straight into its element bytes while the request's
/// single reader passes over it, so every number is tokenised and parsed once: parsing the body to a JsonDocument
/// first and then the data again cost more pod CPU than the model for small requests.
/// </summary>
internal static class JsonTensorReader
{
    /// <summary>
    /// Reads the array the reader is on into <paramref name="count"/> elements (the caller has checked the count
    /// against the body's size before it is allocated here); errors name the tensor and the first value that is wrong.
    /// Flat data is read as row-major whatever the shape. Nested data must follow the shape exactly (one array level
    /// per dimension, each with that dimension's length): a ragged body whose total happens to match would otherwise be
    /// flattened into rows that mix features from different candidates, and scored without a word.
    /// </summary>
    public static byte[] Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string tensor, TensorElementType type, ReadOnlySpan<long> shape, int count)
    {
        var bytes = new byte[count * TensorElementTypes.SizeOf(type)];
        var written = 0;
        // Items seen so far in the open array at each depth (1 is the outer array; 0 counts it); errors use them as the
        // element's index path, and nested data checks them against the shape.
        var levels = Math.Max(shape.Length, 1) + 1;
        Span<int> items = levels <= 16 ? stackalloc int[levels] : new int[levels];
        var nested = false;
        for (var depth = 1; depth > 0;)
        {
            if (!reader.Read())
            {
                // Unreachable with the whole body in hand (the reader throws on truncated JSON); guards the loop.
                throw InferException.Invalid($"input '{tensor}': \"data\" ends before its array does");
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    nested |= depth == 1 && items[1] == 0;
                    if (!nested || depth >= shape.Length)
                    {
                        throw Misshapen(tensor, shape, items[..(depth + 1)], nested
                            ? $"is an array, but the shape has {shape.Length} dimension(s)"
                            : "is an array among values: \"data\" is either flat or nested as the shape");
                    }
                    depth++;
                    items[depth] = 0;
                    break;
                case JsonTokenType.EndArray:
                    if (nested && items[depth] != shape[depth - 1])
                    {
                        throw Misshapen(tensor, shape, items[..depth], $"has {items[depth]} item(s) where dimension {depth - 1} of the shape needs {shape[depth - 1]}");
                    }
                    depth--;
                    items[depth]++;
                    break;
                case var _ when nested && depth < shape.Length:
                    throw Misshapen(tensor, shape, items[..(depth + 1)], $"is a value where the shape needs an array of {shape[depth]}");
                case var _ when written >= count:
                    // Keep counting without writing so the error says how many values came.
                    reader.Skip();
                    written++;
                    items[depth]++;
                    break;
                case var _ when TryPut(ref reader, type, bytes, written):
                    written++;
                    items[depth]++;
                    break;
                default:
                    throw InferException.Invalid($"input '{tensor}': data[{written}] = {JsonTokens.RawText(ref reader, json)} is not a {Datatypes.Name(type)} value");
            }
        }
        if (written != count)
        {
            throw InferException.Invalid($"input '{tensor}': its shape needs {count} values, \"data\" has {written}");
        }
        return bytes;
    }

    /// <summary>Names the nested element by its index path (`data[1][0]`) and the shape it breaks.</summary>
    private static InferException Misshapen(string tensor, ReadOnlySpan<long> shape, ReadOnlySpan<int> path, string problem)
    {
        var at = new System.Text.StringBuilder("data");
        foreach (var index in path[1..])
        {
            at.Append('[').Append(index).Append(']');
        }
        return InferException.Invalid($"input '{tensor}': {at} {problem} (shape [{string.Join(", ", shape.ToArray())}])");
    }

    private static bool TryPut(ref Utf8JsonReader reader, TensorElementType type, byte[] bytes, int index) => reader.TokenType switch
    {
        JsonTokenType.True or JsonTokenType.False => type == TensorElementType.Bool && Put(bytes, index, reader.TokenType == JsonTokenType.True),
        JsonTokenType.Number => type switch
        {
            // A JSON number beyond the datatype's range would become infinity: refused, like an integer that does not fit.
            TensorElementType.Float => reader.TryGetDouble(out var d) && float.IsFinite((float)d) && Put(bytes, index, (float)d),
            TensorElementType.Double => reader.TryGetDouble(out var d) && double.IsFinite(d) && Put(bytes, index, d),
            TensorElementType.Float16 => reader.TryGetDouble(out var d) && Half.IsFinite((Half)d) && Put(bytes, index, (Half)d),
            TensorElementType.Int64 => reader.TryGetInt64(out var l) && Put(bytes, index, l),
            TensorElementType.Int32 => reader.TryGetInt32(out var i) && Put(bytes, index, i),
            TensorElementType.Int8 => reader.TryGetSByte(out var b) && Put(bytes, index, b),
            TensorElementType.UInt8 => reader.TryGetByte(out var u) && Put(bytes, index, u),
            _ => false,
        },
        _ => false,
    };

    /// <summary>Stores element <paramref name="index"/>; returns true so it chains after a successful parse.</summary>
    private static bool Put<T>(byte[] bytes, int index, T value) where T : unmanaged
    {
        MemoryMarshal.Cast<byte, T>(bytes.AsSpan())[index] = value;
        return true;
    }
}
