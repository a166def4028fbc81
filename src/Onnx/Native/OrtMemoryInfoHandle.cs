namespace RecOperator.Onnx.Native;

/// <summary>An owned <c>OrtMemoryInfo*</c>.</summary>
internal sealed class OrtMemoryInfoHandle(nint handle) : OrtHandle(handle)
{
    protected override int ReleaseIndex => OrtApiIndex.ReleaseMemoryInfo;
}
