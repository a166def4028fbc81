using System.Text;
using System.Text.Json;

namespace RecOperator.InferencePod.Protocol;

/// <summary>
/// Small steps of the REST request's single forward pass with <see cref="Utf8JsonReader"/>, shared by the parts that
/// read the request, its inputs and their data. The reader is over the whole JSON text, so token positions index it.
/// </summary>
internal static class JsonTokens
{
    /// <summary>The value the reader is on as the client wrote it (shortened), for error messages; moves past it.</summary>
    public static string RawText(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var text = Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
        return text.Length <= 40 ? text : text[..40] + "...";
    }

    /// <summary>
    /// The string value the reader is on, or null (after skipping it) for any other kind of value;
    /// <paramref name="where"/> names it when its bytes are not UTF-8.
    /// </summary>
    public static string? StringOrSkip(ref Utf8JsonReader reader, Part where)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return String(ref reader, where);
        }
        reader.Skip();
        return null;
    }

    /// <summary>
    /// The string token the reader is on. The reader checks a string's JSON syntax as it passes, not its UTF-8: invalid
    /// bytes surface only when the string is made, as an InvalidOperationException, and are the client's mistake.
    /// </summary>
    public static string String(ref Utf8JsonReader reader, Part where)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InferException.Invalid($"{where} is not valid UTF-8");
        }
    }

    /// <summary>
    /// What the "parameters" object the reader is on sets <paramref name="flag"/> to: true, false (any value but true),
    /// or null when it does not name it; anything that is not an object sets nothing, as other parameters are the
    /// client's own business.
    /// </summary>
    public static bool? ReadFlag(ref Utf8JsonReader reader, ReadOnlySpan<byte> flag, string where)
    {
        // The protocol's parameters are an object, and a flag a JSON boolean: anything else was read as "not set" and
        // silently gave another answer than asked for (a "true" string, JSON outputs).
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw InferException.Invalid($"{where} must be an object, not {Describe(reader.TokenType)}");
        }
        bool? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isFlag = reader.ValueTextEquals(flag);
            reader.Read();
            if (isFlag)
            {
                if (value is not null)
                {
                    throw Duplicate(Encoding.UTF8.GetString(flag), where);
                }
                value = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw InferException.Invalid($"{where}.{Encoding.UTF8.GetString(flag)} must be true or false, not {Describe(reader.TokenType)}"),
                };
            }
            reader.Skip();
        }
        return value;
    }

    /// <summary>What a JSON value is, for a message: "a string", "an array".</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>
    /// A request part for an error message, such as inputs[3].name: a value, so that naming it costs no string per input
    /// unless an error is written.
    /// </summary>
    public readonly record struct Part(string Name, int Index = -1, string Field = "")
    {
        public override string ToString() => Index < 0 ? Name : $"{Name}[{Index}].{Field}";
    }

    /// <summary>
    /// A property the pod reads that comes twice in one object is refused rather than resolved: a proxy that keeps the
    /// first and a pod that keeps the last would see different requests.
    /// </summary>
    public static InferException Duplicate(string property, string where) => InferException.Invalid($"\"{property}\" appears more than once in {where}");
}
