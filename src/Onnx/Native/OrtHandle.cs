using System.Runtime.InteropServices;

namespace RecOperator.Onnx.Native;

/// <summary>
/// Owns one ORT object and frees it with the matching <c>Release*</c> function exactly once, even when the owner is
/// never disposed (the finalizer of <see cref="SafeHandle"/> covers that).
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(nint handle) : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    /// <summary>Index of the <c>Release*</c> function in the OrtApi table.</summary>
    protected abstract int ReleaseIndex { get; }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.Release(ReleaseIndex, handle);
        return true;
    }
}
