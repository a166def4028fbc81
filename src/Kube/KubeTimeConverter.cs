using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>metav1.Time: RFC 3339 in UTC with whole seconds ("2024-05-01T12:00:00Z"), as the API server writes it.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadTime(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options) =>
        WriteTime(writer, value, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    internal static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new JsonException($"'{text}' is not an RFC 3339 time");
    }

    internal static void WriteTime(Utf8JsonWriter writer, DateTimeOffset? value, string layout)
    {
        if (value is { } time)
        {
            writer.WriteStringValue(time.UtcDateTime.ToString(layout, CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
