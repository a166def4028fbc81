namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtSessionOptions*</c>.</summary>
internal sealed class OrtSessionOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseSessionOptions;
}
