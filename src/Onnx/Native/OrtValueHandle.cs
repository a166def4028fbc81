namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtValue*</c>.</summary>
internal sealed class OrtValueHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseValue;
}
