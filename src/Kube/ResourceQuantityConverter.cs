using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>Quantities are JSON strings; a bare JSON number is accepted on read, as the API server does.</summary>
public sealed class ResourceQuantityConverter : JsonConverter<ResourceQuantity>
{
    public override ResourceQuantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException($"a quantity must be a string or a number, not {reader.TokenType}"),
        };
        return ResourceQuantity.TryParse(text, out var quantity, out var error) ? quantity : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
