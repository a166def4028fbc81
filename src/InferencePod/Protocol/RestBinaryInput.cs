using System.Text.Json;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// An input's "parameters.binary_data_size" (binary tensor data extension): its bytes follow the JSON part of the body.
/// </summary>
/// <param name="ByteCount">The size as sent, or -1 when it is not a 32-bit integer.</param>
/// <param name="Text">The value as the client wrote it when it is not an integer, for the error message.</param>
internal readonly record struct RestBinaryInput(int ByteCount, string? Text)
{
    /// <summary>
    /// Reads the input's "parameters" the reader is on; null when they do not give binary_data_size. The size is
    /// checked later, against what is left of the binary section, once the input's name is known for the message.
    /// </summary>
    public static RestBinaryInput? ReadParameters(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        RestBinaryInput? size = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSize = reader.ValueTextEquals("binary_data_size"u8);
            reader.Read();
            if (!isSize)
            {
                reader.Skip();
                continue;
            }
            if (size is not null)
            {
                throw JsonTokens.Duplicate("binary_data_size", $"inputs[{index}].parameters");
            }
            size = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count)
                ? new RestBinaryInput(count, null)
                : new RestBinaryInput(-1, JsonTokens.RawText(ref reader, json));
        }
        return size;
    }
}
