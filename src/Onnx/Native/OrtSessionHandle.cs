namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtSession*</c>.</summary>
internal sealed class OrtSessionHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseSession;
}
