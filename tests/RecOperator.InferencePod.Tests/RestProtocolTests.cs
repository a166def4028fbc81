using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

[Collection(DlrmPodCollection.Name)]
public sealed class RestProtocolTests(DlrmPodFixture fixture)
{
    [Fact]
    public async Task Infer_DlrmRequest_EqualsDirectEngineRun()
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(5, new DeterministicRandom(7));

        var scores = await InferJson.InferAsync(fixture.Rest, "dlrm", inputs);

        scores.Should().Equal(TestModels.RunDirect(fixture.Model.Path, inputs), (a, b) => MathF.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public async Task Infer_BinaryTensorExtension_EqualsJsonAnswer()
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(3, new DeterministicRandom(8));
        var header = new StringBuilder("{\"inputs\":[");
        var binary = new List<byte>();
        foreach (var (name, tensor) in inputs)
        {
            var bytes = tensor is TensorBuffer<float> f ? MemoryMarshal.AsBytes(f.Span).ToArray() : MemoryMarshal.AsBytes(((TensorBuffer<long>)tensor).Span).ToArray();
            header.Append(binary.Count == 0 ? "" : ",").Append($"{{\"name\":\"{name}\",\"datatype\":\"{(tensor.ElementType == TensorElementType.Float ? "FP32" : "INT64")}\",")
                .Append($"\"shape\":[{string.Join(",", tensor.Shape.ToArray())}],\"parameters\":{{\"binary_data_size\":{bytes.Length}}}}}");
            binary.AddRange(bytes);
        }
        header.Append("],\"outputs\":[{\"name\":\"score\",\"parameters\":{\"binary_data\":true}}]}");
        var json = Encoding.UTF8.GetBytes(header.ToString());
        using var content = new ByteArrayContent([.. json, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", content);
        var body = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        using var document = JsonDocument.Parse(body.AsMemory(0, jsonLength));
        document.RootElement.GetProperty("outputs")[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32().Should().Be(12);
        var scores = MemoryMarshal.Cast<byte, float>(body.AsSpan(jsonLength)).ToArray();
        scores.Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", inputs));
    }

    [Fact]
    public async Task HealthAndMetadata_AfterStart_AnswerReadyAndDescribeModel()
    {
        (await fixture.Rest.GetStringAsync("/v2/health/live")).Should().Be("{\"live\":true}");
        (await fixture.Rest.GetStringAsync("/v2/health/ready")).Should().Be("{\"ready\":true}");
        (await fixture.Rest.GetStringAsync("/v2/models/dlrm/ready")).Should().Be("{\"ready\":true}");
        (await fixture.Rest.GetStringAsync("/v2")).Should().Contain("\"extensions\":[\"binary_tensor_data\"");
        using var model = JsonDocument.Parse(await fixture.Rest.GetStringAsync("/v2/models/dlrm"));
        model.RootElement.GetProperty("inputs").GetArrayLength().Should().Be(27);
        model.RootElement.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).Should().Equal(-1, 13);
        model.RootElement.GetProperty("outputs")[0].GetProperty("datatype").GetString().Should().Be("FP32");
    }

    [Theory]
    [InlineData("GET", "/v2/models/other")]
    [InlineData("GET", "/v2/models/other/ready")]
    [InlineData("POST", "/v2/models/other/infer")]
    public async Task ModelRoutes_UnknownModel_Return404NamingIt(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? InferJson.Content("{\"inputs\":[]}") : null };

        using var response = await fixture.Rest.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("model 'other' is not served here");
    }
}
