using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RecOperator.ModelOptimizer.Reference;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// The REST API where the Open Inference Protocol and the binary tensor extension say more than the basic paths:
/// versioned model paths, 4xx for "not ready", an output's own binary_data overriding binary_data_output, compressed
/// request bodies (Content-Encoding, as Triton's clients send), the error shape outside the protocol's routes, and
/// answers with a Content-Length.
/// </summary>
[Collection(DlrmPodCollection.Name)]
public sealed class RestConformanceTests(DlrmPodFixture fixture)
{
    private static readonly IReadOnlyList<Onnx.NamedTensor> Inputs = TestModels.Reference("dlrm-small").CreateInputs(4, new DeterministicRandom(21));

    [Fact]
    public async Task VersionedPaths_Version1_AnswerAsTheUnversionedOnes()
    {
        var unversioned = await InferJson.InferAsync(fixture.Rest, "dlrm", Inputs);

        using var metadata = await fixture.Rest.GetAsync("/v2/models/dlrm/versions/1");
        using var ready = await fixture.Rest.GetAsync("/v2/models/dlrm/versions/1/ready");
        using var infer = await fixture.Rest.PostAsync("/v2/models/dlrm/versions/1/infer", InferJson.Content(InferJson.Request(Inputs)));

        metadata.StatusCode.Should().Be(HttpStatusCode.OK);
        (await metadata.Content.ReadAsStringAsync()).Should().Be(await fixture.Rest.GetStringAsync("/v2/models/dlrm"));
        (await ready.Content.ReadAsStringAsync()).Should().Be("{\"ready\":true}");
        infer.StatusCode.Should().Be(HttpStatusCode.OK);
        InferJson.Scores(await infer.Content.ReadAsStringAsync()).Should().Equal(unversioned);
    }

    [Theory]
    [InlineData("GET", "/v2/models/dlrm/versions/2")]
    [InlineData("GET", "/v2/models/dlrm/versions/2/ready")]
    [InlineData("POST", "/v2/models/dlrm/versions/2/infer")]
    public async Task VersionedPaths_UnknownVersion_404NamingIt(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? InferJson.Content(InferJson.Request(Inputs)) : null };

        using var response = await fixture.Rest.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ErrorOf(response)).Should().Be("model 'dlrm' has no version '2'; this pod serves version '1'");
    }

    [Fact]
    public async Task Infer_BinaryDataFalseOnAnOutput_OverridesBinaryDataOutput()
    {
        var body = InferJson.Request(Inputs).TrimEnd('}') + ",\"parameters\":{\"binary_data_output\":true},\"outputs\":[{\"name\":\"score\",\"parameters\":{\"binary_data\":false}}]}";

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(body));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        InferJson.Scores(await response.Content.ReadAsStringAsync()).Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", Inputs));
    }

    [Fact]
    public async Task Infer_BinaryDataOutput_AnswerHasContentLengthOfJsonAndBytes()
    {
        var body = InferJson.Request(Inputs).TrimEnd('}') + ",\"parameters\":{\"binary_data_output\":true}}";

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(body));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.TransferEncodingChunked.Should().NotBe(true);
        response.Content.Headers.ContentLength.Should().Be(bytes.Length);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        MemoryMarshal.Cast<byte, float>(bytes.AsSpan(jsonLength)).ToArray().Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", Inputs));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Infer_CompressedBody_SameAnswerAsPlain(string coding)
    {
        var plain = Encoding.UTF8.GetBytes(InferJson.Request(Inputs, "zipped"));
        using var content = new ByteArrayContent(Compress(plain, coding));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(coding);

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", content);
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        InferJson.Scores(text).Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", Inputs));
        text.Should().Contain("\"id\":\"zipped\"");
    }

    [Fact]
    public async Task Infer_GzipBodyThatInflatesPastTheLimit_413WithoutInflatingIt()
    {
        var bomb = Compress(new byte[DlrmPodFixture.MaxMessageBytes + 1024], "gzip");
        using var content = new ByteArrayContent(bomb);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await ErrorOf(response)).Should().Be($"the gzip request body of {bomb.Length} bytes inflates past the body size limit of {DlrmPodFixture.MaxMessageBytes} bytes");
        (await InferJson.InferAsync(fixture.Rest, "dlrm", Inputs)).Should().HaveCount(4, "the pod still serves");
    }

    [Theory]
    [InlineData("br", HttpStatusCode.UnsupportedMediaType, "Content-Encoding 'br' is not supported")]
    [InlineData("gzip", HttpStatusCode.BadRequest, "the gzip request body of ")]
    public async Task Infer_UnknownCodingOrCorruptBody_RefusedNamingIt(string coding, HttpStatusCode status, string error)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(InferJson.Request(Inputs)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(coding);

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", content);

        response.StatusCode.Should().Be(status);
        (await ErrorOf(response)).Should().StartWith(error);
        if (status == HttpStatusCode.UnsupportedMediaType)
        {
            response.Headers.GetValues("Accept-Encoding").Single().Should().Be("gzip, deflate");
        }
    }

    [Theory]
    [InlineData("\"id\":7", "\"id\" must be a string, not 7")]
    [InlineData("\"id\":\"\",\"outputs\":[{\"name\":\"score\"},{\"name\":\"score\"}]", "outputs[1] asks for 'score' again: name each output once")]
    public async Task Infer_IdNotAStringOrAnOutputTwice_400NamingIt(string replacingId, string error)
    {
        var body = InferJson.Request(Inputs).Replace("\"id\":\"\"", replacingId, StringComparison.Ordinal);

        using var response = await fixture.Rest.PostAsync("/v2/models/dlrm/infer", InferJson.Content(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ErrorOf(response)).Should().Be(error);
    }

    [Theory]
    [InlineData("GET", "/v2/repository/index", HttpStatusCode.NotFound, "no such path: /v2/repository/index")]
    [InlineData("DELETE", "/v2/models/dlrm", HttpStatusCode.MethodNotAllowed, "DELETE is not allowed on /v2/models/dlrm")]
    [InlineData("GET", "/v2/models/dlrm/infer", HttpStatusCode.MethodNotAllowed, "GET is not allowed on /v2/models/dlrm/infer")]
    public async Task OutsideTheRoutes_ErrorInTheProtocolsShape(string method, string path, HttpStatusCode status, string error)
    {
        using var response = await fixture.Rest.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.Should().Be(status);
        (await ErrorOf(response)).Should().StartWith(error);
    }

    [Theory]
    [InlineData("/v2/health/live")]
    [InlineData("/v2/health/ready")]
    [InlineData("/v2")]
    [InlineData("/v2/models/dlrm")]
    [InlineData("/v2/models/dlrm/versions/1/ready")]
    [InlineData("/metrics")]
    public async Task Head_OnAReadPath_AnswersAsGetWithoutABodyAndTheConnectionServesOn(string path)
    {
        using var get = await fixture.Rest.GetAsync(path);
        using var head = await fixture.Rest.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        using var after = await fixture.Rest.GetAsync("/v2/health/live");

        head.StatusCode.Should().Be(get.StatusCode, "RFC 9110: HEAD is GET without the body");
        head.Content.Headers.ContentType?.MediaType.Should().Be(get.Content.Headers.ContentType?.MediaType);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GrpcCallOverHttp11_426SayingToUseTheGrpcPort()
    {
        using var content = new ByteArrayContent([0, 0, 0, 0, 0]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using var response = await fixture.Rest.PostAsync("/inference.GRPCInferenceService/ServerLive", content);

        response.StatusCode.Should().Be((HttpStatusCode)426);
        (await ErrorOf(response)).Should().Contain("gRPC needs HTTP/2");
    }

    [Fact]
    public async Task ServerMetadata_ClaimsOnlyTheBinaryTensorExtension()
    {
        using var metadata = JsonDocument.Parse(await fixture.Rest.GetStringAsync("/v2"));

        metadata.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).Should().Equal("binary_tensor_data");
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").GetString()!;
    }

    private static byte[] Compress(byte[] plain, string coding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = coding == "deflate" ? new ZLibStream(output, CompressionLevel.Fastest) : new GZipStream(output, CompressionLevel.Fastest))
        {
            compressor.Write(plain);
        }
        return output.ToArray();
    }
}
