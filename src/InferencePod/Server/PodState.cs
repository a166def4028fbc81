namespace RecOperator.InferencePod.Server;

/// <summary>Readiness as probes see it: ready after warm-up, not ready again from the first moment of a drain.</summary>
public sealed class PodState
{
    private volatile bool _ready;
    private volatile bool _draining;

    public bool Ready => _ready && !_draining;

    public bool Draining => _draining;

    public void MarkReady() => _ready = true;

    public void BeginDrain() => _draining = true;
}
