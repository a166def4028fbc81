using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RecOperator.Crds.Models;

/// <summary>Numeric precision of an artifact's weights and compute.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
[Description("Numeric precision of the artifact: fp32, fp16, int8 or w8a16 (int8 weights, fp16 activations).")]
public enum Precision
{
    [JsonStringEnumMemberName("fp32")]
    Fp32,

    [JsonStringEnumMemberName("fp16")]
    Fp16,

    [JsonStringEnumMemberName("int8")]
    Int8,

    [JsonStringEnumMemberName("w8a16")]
    W8A16,
}
