using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>Open Inference Protocol JSON requests from engine tensors, and scores out of answers.</summary>
internal static class InferJson
{
    public static string Request(IReadOnlyList<NamedTensor> inputs, string id = "")
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteStartArray("inputs");
            foreach (var (name, tensor) in inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("datatype", tensor.ElementType == TensorElementType.Float ? "FP32" : "INT64");
                writer.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                {
                    writer.WriteNumberValue(dim);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("data");
                if (tensor is TensorBuffer<float> floats)
                {
                    foreach (var v in floats.Span) { writer.WriteNumberValue(v); }
                }
                else
                {
                    foreach (var v in ((TensorBuffer<long>)tensor).Span) { writer.WriteNumberValue(v); }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static StringContent Content(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static async Task<float[]> InferAsync(HttpClient client, string model, IReadOnlyList<NamedTensor> inputs)
    {
        using var response = await client.PostAsync($"/v2/models/{model}/infer", Content(Request(inputs)));
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, body);
        return Scores(body);
    }

    public static float[] Scores(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    }
}
