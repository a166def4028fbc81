using System.Diagnostics;
using System.Text.Json;
using RecOperator.InferencePod.Grpc.Health;
using RecOperator.InferencePod.Grpc.V2;
using RecOperator.ModelOptimizer.Reference;
using RecOperator.Tests.Shared;

namespace RecOperator.InferencePod.Tests;

[Collection(DlrmPodCollection.Name)]
public sealed class GrpcProtocolTests(DlrmPodFixture fixture)
{
    private const string Service = "inference.GRPCInferenceService";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelInfer_TypedOrRawContents_EqualsRestAnswer(bool raw)
    {
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(4, new DeterministicRandom(11));
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        var (status, message, response) = await client.CallAsync($"{Service}/ModelInfer", GrpcRequests.Infer("dlrm", inputs, raw), ModelInferResponse.Parser);

        status.Should().Be(0, message);
        response!.Outputs[0].Shape.Should().Equal(4, 1);
        response.Id.Should().Be("grpc");
        GrpcRequests.Scores(response).Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", inputs));
    }

    [Fact]
    public async Task HealthAndMetadata_Ready_AnswerServingAndDescribeModel()
    {
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);

        (await client.CallAsync($"{Service}/ServerLive", new ServerLiveRequest(), ServerLiveResponse.Parser)).Response!.Live.Should().BeTrue();
        (await client.CallAsync($"{Service}/ServerReady", new ServerReadyRequest(), ServerReadyResponse.Parser)).Response!.Ready.Should().BeTrue();
        (await client.CallAsync($"{Service}/ModelReady", new ModelReadyRequest { Name = "dlrm" }, ModelReadyResponse.Parser)).Response!.Ready.Should().BeTrue();
        (await client.CallAsync($"{Service}/ServerMetadata", new ServerMetadataRequest(), ServerMetadataResponse.Parser)).Response!.Extensions
            .Should().Contain("binary_tensor_data");
        var metadata = (await client.CallAsync($"{Service}/ModelMetadata", new ModelMetadataRequest { Name = "dlrm" }, ModelMetadataResponse.Parser)).Response!;
        metadata.Inputs.Should().HaveCount(27);
        metadata.Inputs[0].Shape.Should().Equal(-1, 13);
        var health = await client.CallAsync("grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Parser);
        health.Response!.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Theory]
    [InlineData("grpc.health.v1.Health/Check", 5)]
    [InlineData("inference.GRPCInferenceService/ModelReady", 5)]
    [InlineData("inference.GRPCInferenceService/RepositoryIndex", 12)]
    [InlineData("grpc.health.v1.Health/Watch", 12)]
    [InlineData("other.Service/ModelReady", 12)]
    [InlineData("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", 12)]
    [InlineData("inference.GRPCInferenceService/ModelReady/extra", 12)]
    public async Task Call_UnknownServiceModelOrMethod_AnswersNotFoundOrUnimplemented(string method, int expected)
    {
        using var client = new GrpcTestClient(fixture.Pod.GrpcPort);
        var request = method.EndsWith("Check", StringComparison.Ordinal)
            ? (Google.Protobuf.IMessage)new HealthCheckRequest { Service = "other.Service" }
            : new ModelReadyRequest { Name = "other" };

        var (status, message, _) = await client.CallRawAsync(method, GrpcTestClient.Frame(Google.Protobuf.MessageExtensions.ToByteArray(request)));

        status.Should().Be(expected, message);
        message.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task GrpcJs_RealClientCalls_AnswersEqualRest(int compression)
    {
        // grpc-js's 'grpc.default_compression_algorithm': 0 identity, 1 deflate, 2 gzip (every request message compressed).
        var nodeModules = RepoPaths.Combine(".cache", "npm", "node_modules");
        File.Exists(Path.Combine(nodeModules, "@grpc", "grpc-js", "package.json")).Should().BeTrue("bash scripts/setup-npm-clients.sh installs @grpc/grpc-js");
        var inputs = TestModels.Reference("dlrm-small").CreateInputs(3, new DeterministicRandom(12));
        var request = JsonSerializer.Serialize(new
        {
            model_name = "dlrm",
            inputs = inputs.Select(i => new
            {
                name = i.Name,
                datatype = i.Tensor.ElementType == Onnx.TensorElementType.Float ? "FP32" : "INT64",
                shape = i.Tensor.Shape.ToArray(),
                contents = i.Tensor is Onnx.TensorBuffer<float> f
                    ? (object)new { fp32_contents = f.Span.ToArray() }
                    : new { int64_contents = ((Onnx.TensorBuffer<long>)i.Tensor).Span.ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() },
            }),
        });
        var script = Path.Combine(AppContext.BaseDirectory, "grpc-js-client.js");
        var requestFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(requestFile, request);

        var output = await RunNodeAsync(script, nodeModules, $"127.0.0.1:{fixture.Pod.GrpcPort}", requestFile, compression);

        using var answer = JsonDocument.Parse(output);
        answer.RootElement.GetProperty("live").GetBoolean().Should().BeTrue();
        answer.RootElement.GetProperty("health").GetString().Should().Be("SERVING");
        answer.RootElement.GetProperty("inputs").GetInt32().Should().Be(27);
        answer.RootElement.GetProperty("badShapeCode").GetInt32().Should().Be(3);
        var scores = answer.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        scores.Should().Equal(await InferJson.InferAsync(fixture.Rest, "dlrm", inputs));
        File.Delete(requestFile);
    }

    private static async Task<string> RunNodeAsync(string script, string nodeModules, string address, string requestFile, int compression)
    {
        var start = new ProcessStartInfo("node",
            [script, address, requestFile, Path.Combine(AppContext.BaseDirectory, "Proto"), compression.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NODE_PATH"] = nodeModules;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(0, await stderr);
        return await stdout;
    }
}
