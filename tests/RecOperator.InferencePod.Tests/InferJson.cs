using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RecOperator.InferencePod.Protocol;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>Open Inference Protocol JSON requests from engine tensors, and scores out of answers.</summary>
internal static class InferJson
{
    public static string Request(IReadOnlyList<NamedTensor> inputs, string id = "") =>
        Encoding.UTF8.GetString(InferRequestJson.Utf8(inputs, id));

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
