using System.Net;
using RecOperator.InferencePod.Artifacts;
using RecOperator.InferencePod.Configuration;

namespace RecOperator.InferencePod.Tests;

public sealed class ConfigurationTests
{
    private static readonly PodOptions Valid = new() { ModelName = "m", Artifact = "/m.onnx" };

    public static TheoryData<PodOptions, string> BadOptions => new()
    {
        { Valid with { ModelName = "" }, "--model-name (RECPOD_MODEL_NAME)" },
        { Valid with { ModelName = "a b" }, "--model-name (RECPOD_MODEL_NAME)" },
        { Valid with { Artifact = "" }, "--artifact (RECPOD_ARTIFACT)" },
        { Valid with { Sha256 = "abc" }, "--sha256 (RECPOD_SHA256)" },
        { Valid with { HttpPort = 70000 }, "--http-port (RECPOD_HTTP_PORT)" },
        { Valid with { HttpPort = 9000, GrpcPort = 9000 }, "--grpc-port (RECPOD_GRPC_PORT)" },
        { Valid with { BindAddress = "localhost:1" }, "--bind (RECPOD_BIND_ADDRESS)" },
        { Valid with { MaxBatchSize = 0 }, "--max-batch-size (RECPOD_MAX_BATCH_SIZE)" },
        { Valid with { MaxQueueRequests = 0 }, "--max-queue-requests (RECPOD_MAX_QUEUE_REQUESTS)" },
        { Valid with { MaxQueueDelayMicros = -1 }, "--max-queue-delay-micros (RECPOD_MAX_QUEUE_DELAY_MICROS)" },
        { Valid with { IntraOpThreads = -2 }, "--threads (RECPOD_THREADS)" },
        { Valid with { DeviceId = -1 }, "--device-id (RECPOD_DEVICE_ID)" },
        { Valid with { Workers = 0 }, "--workers (RECPOD_WORKERS)" },
        { Valid with { MaxMessageBytes = 10 }, "--max-message-bytes (RECPOD_MAX_MESSAGE_BYTES)" },
        { Valid with { DrainDelayMs = 20_000, ShutdownGraceSeconds = 3 }, "--drain-delay-ms (RECPOD_DRAIN_DELAY_MS): 20000 ms must be shorter than --shutdown-grace-seconds (3 s)" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadSetting_NamesOptionAndVariable(PodOptions options, string setting) =>
        PodOptionsValidator.Validate(options).Should().ContainSingle().Which.Should().StartWith(setting);

    [Fact]
    public void Validate_Defaults_HaveNoErrors() => PodOptionsValidator.Validate(Valid).Should().BeEmpty();

    [Fact]
    public void Apply_Environment_ReadsEveryVariableAndNamesUnparsableOnes()
    {
        var errors = new List<string>();
        var environment = new Dictionary<string, string>
        {
            ["RECPOD_MODEL_NAME"] = "ranker", ["RECPOD_VARIANT"] = "cpu-int8", ["RECPOD_ARTIFACT"] = "https://x/m.onnx",
            ["RECPOD_SHA256"] = new string('A', 64), ["RECPOD_HTTP_PORT"] = "9000", ["RECPOD_MAX_BATCH_SIZE"] = "32",
            ["RECPOD_USER_SIDE_REUSE"] = "false", ["RECPOD_GRPC_PORT"] = "nine", ["RECPOD_EXECUTION_PROVIDER"] = "Cuda",
            ["RECPOD_EXECUTION_PROVIDER_LIBRARY"] = "/opt/ort/libonnxruntime_providers_cuda.so", ["RECPOD_DEVICE_ID"] = "1",
            ["RECPOD_USER_INPUTS"] = " user_dense, user_history ,",
        };

        var options = PodEnvironment.Apply(new PodOptions(), environment, errors);

        options.Should().BeEquivalentTo(new PodOptions
        {
            ModelName = "ranker", Variant = "cpu-int8", Artifact = "https://x/m.onnx", Sha256 = new string('a', 64), HttpPort = 9000,
            MaxBatchSize = 32, UserSideReuse = false, ExecutionProvider = "Cuda",
            ExecutionProviderLibrary = "/opt/ort/libonnxruntime_providers_cuda.so", DeviceId = 1, UserInputs = ["user_dense", "user_history"],
        });
        errors.Should().ContainSingle().Which.Should().Be("RECPOD_GRPC_PORT (--grpc-port): 'nine' is not an integer");
    }

    [Fact]
    public void ProviderRequests_Cpu_NoneSoOrtUsesItsOwn() =>
        Model.ModelLoader.ProviderRequests(Valid with { ExecutionProvider = "cpu" }).Should().BeEmpty();

    [Fact]
    public void ProviderRequests_CudaOnDeviceOneWithLibrary_OneRequestCarryingBoth()
    {
        var request = Model.ModelLoader.ProviderRequests(Valid with { ExecutionProvider = "Cuda", DeviceId = 1, ExecutionProviderLibrary = "/x/libep.so" })
            .Should().ContainSingle().Subject;

        request.Name.Should().Be("Cuda");
        request.PluginLibraryPath.Should().Be("/x/libep.so");
        request.Options.Should().Equal(new Dictionary<string, string> { ["device_id"] = "1" });
    }

    [Fact]
    public void ProviderRequests_DefaultDeviceNoLibrary_NoOptionsAndTheCoreDecides()
    {
        var request = Model.ModelLoader.ProviderRequests(Valid with { ExecutionProvider = "Cuda" }).Should().ContainSingle().Subject;

        request.Options.Should().BeEmpty("device 0 is the default, and providers without device_id would reject the key");
        request.PluginLibraryPath.Should().BeNull();
    }

    [Fact]
    public async Task StartAsync_Sha256Mismatch_StopsWithMessageNamingTheSetting()
    {
        var model = await TestModels.DlrmAsync();

        var start = () => TestPods.StartAsync(TestPods.Options(model.Path) with { Sha256 = new string('0', 64) });

        (await start.Should().ThrowAsync<ArtifactException>()).Which.Message.Should()
            .Contain($"has sha256 {model.Sha256}").And.Contain("--sha256 (RECPOD_SHA256) expects 0000");
    }

    [Fact]
    public async Task StartAsync_InvalidSettings_ThrowsListingEach()
    {
        var start = () => TestPods.StartAsync(new PodOptions { ModelName = "", Artifact = "", MaxBatchSize = 0 });

        (await start.Should().ThrowAsync<PodConfigurationException>()).Which.Errors.Should().HaveCount(3);
    }

    [Fact]
    public async Task FetchAsync_HttpArtifact_DownloadsOnceIntoCacheAndChecksHash()
    {
        var model = await TestModels.DlrmAsync();
        await using var server = new ArtifactHttpServer(_ => model.Path);
        var port = server.Port;
        var cache = Directory.CreateTempSubdirectory("recpod-cache-");
        using var http = new HttpClient();
        var fetcher = new ArtifactFetcher(http, cache.FullName);

        var first = await fetcher.FetchAsync($"http://127.0.0.1:{port}/models/dlrm.onnx", model.Sha256, CancellationToken.None);
        var second = await fetcher.FetchAsync($"http://127.0.0.1:{port}/models/dlrm.onnx", model.Sha256, CancellationToken.None);

        first.Should().StartWith(cache.FullName).And.Be(second);
        (await ArtifactFetcher.HashAsync(first, CancellationToken.None)).Should().Be(model.Sha256);
        server.Requested.Should().HaveCount(1);
        var missing = () => fetcher.FetchAsync($"file:///nonexistent/m.onnx", "", CancellationToken.None);
        (await missing.Should().ThrowAsync<ArtifactException>()).Which.Message.Should().Contain("does not exist");
        cache.Delete(recursive: true);
    }
}
