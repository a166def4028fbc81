namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtEnv*</c>.</summary>
internal sealed class OrtEnvHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseEnv;
}
