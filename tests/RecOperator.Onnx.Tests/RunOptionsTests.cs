using RecOperator.Onnx.Native;

namespace RecOperator.Onnx.Tests;

public sealed unsafe class RunOptionsTests
{
    [Fact]
    public void Run_TerminateFlagSetBeforehand_OrtRefusesThenRunsOnceCleared()
    {
        var environment = OrtEnvironment.Instance;
        var api = environment.Api;
        using var options = new OrtSessionOptionsHandle(api.CreateSessionOptions());
        using var session = new OrtSessionHandle(api.CreateSessionFromBytes(environment.Env.DangerousGetHandle(),
            TestModels.Bytes(TestModels.Identity(TensorElementType.Float)), options.DangerousGetHandle()));
        using var runOptions = new OrtRunOptionsHandle(api.CreateRunOptions());
        using var input = TensorBuffer.AllocatePinned<float>(1, 3);
        using var pin = input.Pin();
        var value = input.ValueCache.GetOrCreate(api, environment.CpuMemory.DangerousGetHandle(), pin.Pointer, input.ByteLength, input.ShapeArray, input.ElementType);
        var inName = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8("in");
        var outName = System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8("out");
        try
        {
            api.Terminate(runOptions.DangerousGetHandle());
            nint output = 0;
            var status = api.Run(session.DangerousGetHandle(), runOptions.DangerousGetHandle(), &inName, &value, 1, &outName, 1, &output);
            var refused = () => api.Check(status);
            refused.Should().Throw<OrtException>().Which.OrtMessage.Should().Contain("terminate");

            api.ClearTerminate(runOptions.DangerousGetHandle());
            output = 0;
            api.Check(api.Run(session.DangerousGetHandle(), runOptions.DangerousGetHandle(), &inName, &value, 1, &outName, 1, &output));
            output.Should().NotBe(0);
            api.Release(OrtApiIndex.ReleaseValue, output);
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.FreeCoTaskMem(inName);
            System.Runtime.InteropServices.Marshal.FreeCoTaskMem(outName);
        }
    }
}
