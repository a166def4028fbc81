namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtRunOptions*</c>.</summary>
internal sealed class OrtRunOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseRunOptions;
}
