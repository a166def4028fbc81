using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>
/// metav1.Time: RFC 3339 in UTC with whole seconds ("2024-05-01T12:00:00Z"), as the API server writes it.
/// A factory, because the schema makes some times required (<c>DateTimeOffset</c>) and others optional
/// (<c>DateTimeOffset?</c>), and one attribute has to serve both.
/// </summary>
public sealed class KubeTimeConverter : JsonConverterFactory
{
    internal const string SecondsLayout = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTimeOffset?);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(DateTimeOffset) ? new Required(SecondsLayout) : new Optional(SecondsLayout);

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

    /// <summary>An optional time: JSON null reads as null.</summary>
    internal sealed class Optional(string layout) : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadTime(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options) => WriteTime(writer, value, layout);
    }

    /// <summary>A required time: JSON null is an error naming the problem.</summary>
    internal sealed class Required(string layout) : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ReadTime(ref reader) ?? throw new JsonException("a required time is null");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WriteTime(writer, value, layout);
    }
}
