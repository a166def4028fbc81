using RecOperator.Onnx.Native;

namespace RecOperator.Onnx.Tests;

public sealed class ExecutionProviderTests
{
    private readonly OrtEngine _engine = OrtEngine.Create();

    [Theory]
    [InlineData("CUDA")]
    [InlineData("TensorRT")]
    public void Load_GpuProviderOnCpuBuild_ErrorSaysUnavailableAndWhatExists(string provider)
    {
        var act = () => _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()),
            new InferenceSessionOptions { ExecutionProviders = [new ExecutionProviderRequest(provider)] });
        var error = act.Should().Throw<ExecutionProviderException>().Which;
        error.ProviderName.Should().Be(provider);
        error.Message.Should().Contain($"'{provider}' is not available in the loaded ONNX Runtime 1.30.0")
            .And.Contain("CPUExecutionProvider").And.Contain("setup-onnxruntime.sh --gpu");
    }

    [Fact]
    public void Load_OpenVinoThroughGenericAppend_CarriesOrtsOwnReason()
    {
        var act = () => _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()),
            new InferenceSessionOptions { ExecutionProviders = [new ExecutionProviderRequest("OpenVINO")] });
        var error = act.Should().Throw<ExecutionProviderException>().Which;
        error.InnerException.Should().BeOfType<OrtException>().Which.OrtMessage.Should().Contain("OpenVINO");
    }

    [Fact]
    public void Load_PluginLibraryThatDoesNotExist_NamesThePath()
    {
        var act = () => _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()),
            new InferenceSessionOptions { ExecutionProviders = [new ExecutionProviderRequest("CUDA") { PluginLibraryPath = "/nonexistent/libep.so" }] });
        act.Should().Throw<ExecutionProviderException>().WithMessage("*'/nonexistent/libep.so' does not exist*");
    }

    [Fact]
    public void Load_PluginLibraryThatIsNotAProvider_OrtErrorNotCrash()
    {
        // ORT's own library exports no CreateEpFactories, so registering it as a plugin must fail cleanly.
        var notAPlugin = Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1");
        var act = () => _engine.Load(TestModels.Bytes(TestModels.DenseAndIds()),
            new InferenceSessionOptions { ExecutionProviders = [new ExecutionProviderRequest("CUDA") { PluginLibraryPath = notAPlugin }] });
        var error = act.Should().Throw<ExecutionProviderException>().Which;
        error.Message.Should().Contain($"its plugin library '{notAPlugin}' did not load");
        error.InnerException.Should().BeOfType<OrtException>().Which.Message.Should().StartWith("cannot register execution provider library");
    }

    [Fact]
    public void AppendProviderV2_CpuDeviceFromGetEpDevices_SessionScoresLikeTheDefaultSession()
    {
        // The plugin route end to end on the one device every build has: GetEpDevices, then
        // SessionOptionsAppendExecutionProvider_V2 with that device, then a session that loads and runs.
        var environment = OrtEnvironment.Instance;
        var api = environment.Api;
        var env = environment.Env.DangerousGetHandle();
        var cpu = api.ProviderDevices(env).Where(d => d.ProviderName == "CPUExecutionProvider").Select(d => d.Device).First();
        var model = TestModels.Bytes(TestModels.DenseAndIds());
        using var options = new OrtSessionOptionsHandle(api.CreateSessionOptions());
        using (var keys = new NativeStringArray([]))
        using (var values = new NativeStringArray([]))
        {
            api.AppendProviderV2(options.DangerousGetHandle(), env, [cpu], keys, values, "CPUExecutionProvider");
        }

        using var viaV2 = new OrtSession(environment, new OrtSessionHandle(api.CreateSessionFromBytes(env, model, options.DangerousGetHandle())));
        using var byDefault = _engine.Load(model);

        var v2Scores = Score(viaV2);
        v2Scores.Should().Equal(Score(byDefault));
        v2Scores.Should().Equal(17f, 0f, 4f, 9f); // 10 + 7; Relu(-20 + 3); 4 + 0; 0 + 9
    }

    private static float[] Score(IInferenceSession session)
    {
        using var dense = TensorBuffer.Over(new float[] { 1, 2, 3, 4, -5, -5, -5, -5, 1, 1, 1, 1, 0, 0, 0, 0 }, 4, 4);
        using var ids = TensorBuffer.Over(new long[] { 7, 3, 0, 9 }, 4);
        using var score = TensorBuffer.AllocatePinned<float>(4, 1);
        session.Run([new("dense", dense), new("ids", ids)], [new("score", score)]);
        return score.Span.ToArray();
    }

    [Theory]
    [InlineData("/opt/onnxruntime/libonnxruntime.so", "CUDA", "/opt/onnxruntime/libonnxruntime_providers_cuda.so")]
    [InlineData("/opt/onnxruntime/libonnxruntime.so.1", "TensorrtExecutionProvider", "/opt/onnxruntime/libonnxruntime_providers_tensorrt.so")]
    [InlineData("libonnxruntime.so.1", "CUDA", null)]
    public void PluginLibraryNextTo_CoreLibraryPath_ProviderLibraryInTheSameFolder(string core, string provider, string? expected) =>
        ExecutionProviderAppender.PluginLibraryNextTo(core, provider).Should().Be(expected);

    [Theory]
    [InlineData("cuda", "CUDAExecutionProvider")]
    [InlineData("TensorRT", "TensorrtExecutionProvider")]
    [InlineData("CPU", "CPUExecutionProvider")]
    [InlineData("Foo", "FooExecutionProvider")]
    [InlineData("DmlExecutionProvider", "DmlExecutionProvider")]
    public void CanonicalName_ShortNames_MapToOrtNames(string name, string expected) =>
        ExecutionProviderAppender.CanonicalName(name).Should().Be(expected);

    private static readonly (nint, string)[] Devices =
        [(1, "CPUExecutionProvider"), (2, "CUDAExecutionProvider"), (3, "CUDAExecutionProvider")];

    [Fact]
    public void SelectDevice_NoDeviceId_FirstDeviceOfThatProvider()
    {
        var options = new Dictionary<string, string> { ["arena_extend_strategy"] = "kSameAsRequested" };
        ExecutionProviderAppender.SelectDevice(Devices, "CUDAExecutionProvider", options, out var rest).Should().Be((nint)2);
        rest.Should().Equal(options);
    }

    [Fact]
    public void SelectDevice_DeviceId_PicksThatDeviceAndKeepsItOutOfOptions()
    {
        var options = new Dictionary<string, string> { ["device_id"] = "1", ["x"] = "y" };
        ExecutionProviderAppender.SelectDevice(Devices, "CUDAExecutionProvider", options, out var rest).Should().Be((nint)3);
        rest.Keys.Should().Equal("x");
    }

    [Fact]
    public void SelectDevice_DeviceIdOutOfRange_ErrorNamesIt()
    {
        var act = () => ExecutionProviderAppender.SelectDevice(Devices, "CUDAExecutionProvider",
            new Dictionary<string, string> { ["device_id"] = "2" }, out _);
        act.Should().Throw<ExecutionProviderException>().WithMessage("*device_id '2'*2 device(s)*");
    }

    [Fact]
    public void SelectDevice_ProviderWithoutDevices_Null() =>
        ExecutionProviderAppender.SelectDevice(Devices, "OpenVINOExecutionProvider", new Dictionary<string, string>(), out _).Should().BeNull();
}
