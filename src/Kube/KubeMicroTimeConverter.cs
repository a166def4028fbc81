using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecOperator.Kube;

/// <summary>metav1.MicroTime (Lease and Event times): RFC 3339 in UTC with exactly six fractional digits.</summary>
public sealed class KubeMicroTimeConverter : JsonConverterFactory
{
    private const string MicrosLayout = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(DateTimeOffset) || typeToConvert == typeof(DateTimeOffset?);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(DateTimeOffset) ? new KubeTimeConverter.Required(MicrosLayout) : new KubeTimeConverter.Optional(MicrosLayout);
}
