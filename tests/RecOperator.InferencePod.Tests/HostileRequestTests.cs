using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// Requests a fuzzer found answered with 5xx, an HTTP 404 without grpc-status, or a message that named no request part;
/// each must get a 4xx / INVALID_ARGUMENT naming the part, or be served.
/// </summary>
[Collection(DlrmPodCollection.Name)]
public sealed class HostileRequestTests(DlrmPodFixture fixture)
{
    private const string ModelInfer = "inference.GRPCInferenceService/ModelInfer";

    /// <summary>dlrm-small's sparse features index tables of 1,000 rows: ONNX Runtime's Gather takes -1000 .. 999.</summary>
    [Theory]
    [InlineData(1000L)]
    [InlineData(-1001L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public async Task Infer_IdOutsideEmbeddingTable_AnswersBadRequestNamingInputAndElement(long id)
    {
        var request = JsonNode.Parse(InferJson.Request(TestModels.Reference("dlrm-small").CreateInputs(3, new DeterministicRandom(41))))!;
        request["inputs"]![1 + 5]!["data"] = new JsonArray(1, id, 2);

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(request.ToJsonString()));
        var error = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(400, error);
        error.Should().Contain($"input 'sparse_5': element 1 is {id}, outside the embedding table it indexes (1000 rows");
    }

    [Fact]
    public async Task ModelInfer_RawIdOutsideEmbeddingTable_AnswersInvalidArgumentAndEdgeIdsAreServed()
    {
        using var grpc = new GrpcTestClient(fixture.Pod.GrpcPort);
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(42));

        var outside = await grpc.CallRawAsync(ModelInfer, GrpcTestClient.Frame(WithIds(inputs, 25, 0, 1000).ToByteArray()));
        var edges = await grpc.CallRawAsync(ModelInfer, GrpcTestClient.Frame(WithIds(inputs, 25, 999, -1000).ToByteArray()));

        outside.Status.Should().Be(3, outside.Message);
        outside.Message.Should().Contain("input 'sparse_25': element 1 is 1000, outside the embedding table");
        edges.Status.Should().Be(0, edges.Message);
    }

    /// <summary>The JSON reader checks a string's syntax, not its UTF-8: these bytes surfaced as an unhandled exception (500).</summary>
    [Theory]
    [InlineData("{\"id\":\"\u00FF\u00FE\",\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1]}]}", "\"id\" is not valid UTF-8")]
    [InlineData("{\"inputs\":[{\"name\":\"d\u00FFense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1]}]}", "inputs[0].name is not valid UTF-8")]
    [InlineData("{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP\u00FF32\",\"shape\":[1,13],\"data\":[1]}]}", "inputs[0].datatype is not valid UTF-8")]
    [InlineData("{\"inputs\":[{\"name\":\"dense\",\"datatype\":\"\\u0046P32\u00FF\",\"shape\":[1,13],\"data\":[1]}]}", "inputs[0].datatype is not valid UTF-8")]
    [InlineData("{\"outputs\":[{\"name\":\"s\u00FF\"}],\"inputs\":[{\"name\":\"dense\",\"datatype\":\"FP32\",\"shape\":[1,13],\"data\":[1]}]}", "outputs[0].name is not valid UTF-8")]
    public async Task Infer_StringNotUtf8_AnswersBadRequestNamingThePart(string latin1Body, string expected)
    {
        // Latin-1 keeps each char below 256 as one byte: \u00FF and \u00FE are bytes that never occur in UTF-8.
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", content);
        var error = await response.Content.ReadAsStringAsync();

        ((int)response.StatusCode).Should().Be(400, error);
        JsonNode.Parse(error)!["error"]!.GetValue<string>().Should().Be(expected);
    }

    /// <summary>Task.WaitAsync refuses a timeout past about 49.7 days: these grpc-timeout values were answered with HTTP 500.</summary>
    [Theory]
    [InlineData("99999999H")]
    [InlineData("99999999M")]
    [InlineData("9999999S")]
    public async Task ModelInfer_GrpcTimeoutOfYears_IsServed(string timeout)
    {
        using var grpc = new GrpcTestClient(fixture.Pod.GrpcPort);
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(2, new DeterministicRandom(43));

        var (status, message, response) = await grpc.CallAsync(ModelInfer, GrpcRequests.Infer("dlrm", inputs, raw: true), ModelInferResponse.Parser, timeout);

        status.Should().Be(0, message);
        response!.Outputs[0].Shape.Should().Equal(2, 1);
    }

    /// <summary>A raw shape whose element count overflows a long was reported as needing a negative number of bytes.</summary>
    [Fact]
    public async Task ModelInfer_ShapeOverflowingItsElementCount_AnswersInvalidArgumentNamingTheShape()
    {
        using var grpc = new GrpcTestClient(fixture.Pod.GrpcPort);
        var request = GrpcRequests.Infer("dlrm", TestModels.Reference("dlrm-small").CreateInputs(1, new DeterministicRandom(44)), raw: true);
        request.Inputs[0].Shape[0] = long.MaxValue;

        var (status, message, _) = await grpc.CallRawAsync(ModelInfer, GrpcTestClient.Frame(request.ToByteArray()));

        status.Should().Be(3, message);
        message.Should().Be($"input 'dense': shape [{long.MaxValue}, 13] holds more elements than its 52 bytes of data");
    }

    /// <summary>The inputs as raw contents, with two ids of one sparse feature replaced.</summary>
    private static ModelInferRequest WithIds(IReadOnlyList<RecOperator.Onnx.NamedTensor> inputs, int feature, long first, long second)
    {
        var request = GrpcRequests.Infer("dlrm", inputs, raw: true);
        var ids = new byte[16];
        BitConverter.TryWriteBytes(ids.AsSpan(0, 8), first);
        BitConverter.TryWriteBytes(ids.AsSpan(8, 8), second);
        request.RawInputContents[1 + feature] = ByteString.CopyFrom(ids);
        return request;
    }
}
