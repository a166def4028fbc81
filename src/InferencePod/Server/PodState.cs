namespace RecOperator.InferencePod.Server;

/// <summary>
/// Readiness as probes see it: not ready while warming up (the pod's own warm-up requests are served then), ready
/// after it, and not ready again from the first moment of a drain.
/// </summary>
public sealed class PodState
{
    private volatile bool _warming;
    private volatile bool _ready;
    private volatile bool _draining;

    public bool Ready => _ready && !_draining;

    public bool Draining => _draining;

    /// <summary>Between the ports opening and readiness: the pod's own warm-up requests are being served.</summary>
    public bool Warming => _warming;

    /// <summary>Whether an inference request is served: after warm-up began, and still while draining so that none is lost.</summary>
    public bool AcceptsRequests => _warming || _ready || _draining;

    public void BeginWarmup() => _warming = true;

    public void MarkReady()
    {
        _ready = true;
        _warming = false;
    }

    public void BeginDrain() => _draining = true;
}
