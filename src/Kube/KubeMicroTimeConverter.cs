using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>metav1.MicroTime (Lease and Event times): RFC 3339 in UTC with exactly six fractional digits.</summary>
public sealed class KubeMicroTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubeTimeConverter.ReadTime(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options) =>
        KubeTimeConverter.WriteTime(writer, value, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");
}
