namespace RecOperator.Onnx.Native;

/// <summary>
/// Reusable <c>OrtRunOptions</c>: each run needs its own (cancellation sets a flag on them), and creating one per run
/// would be a native allocation on the hot path.
/// </summary>
internal sealed class RunOptionsPool(OrtApi api) : IDisposable
{
    private readonly Stack<Lease> _free = new();
    private readonly Lock _gate = new();

    public Lease Rent()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var lease))
            {
                return lease;
            }
        }
        return new Lease(api, new OrtRunOptionsHandle(api.CreateRunOptions()));
    }

    public void Return(Lease lease)
    {
        // A cancelled run leaves the terminate flag set; clear it so the next run is not cancelled at once.
        lease.ClearTerminate();
        lock (_gate)
        {
            _free.Push(lease);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            while (_free.TryPop(out var lease))
            {
                lease.Dispose();
            }
        }
    }

    /// <summary>One run options object, owned by one run at a time.</summary>
    internal sealed class Lease(OrtApi api, OrtRunOptionsHandle handle) : IDisposable
    {
        private int _terminated;

        public nint Handle => handle.DangerousGetHandle();

        public void Terminate()
        {
            Interlocked.Exchange(ref _terminated, 1);
            api.Terminate(Handle);
        }

        public void ClearTerminate()
        {
            if (Interlocked.Exchange(ref _terminated, 0) == 1)
            {
                api.ClearTerminate(Handle);
            }
        }

        public void Dispose() => handle.Dispose();
    }
}
