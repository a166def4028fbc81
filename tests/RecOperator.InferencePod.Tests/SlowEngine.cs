using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose runs take at least <see cref="RunTime"/> longer (zero until a test sets it, so start-up and warm-up
/// stay quick): an engine call of a known length, whatever the machine.
/// </summary>
internal sealed class SlowEngine(IInferenceEngine inner) : WrappedEngine(inner)
{
    private long _runTicks;

    public TimeSpan RunTime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _runTicks));
        set => Interlocked.Exchange(ref _runTicks, value.Ticks);
    }

    protected override void BeforeRun(IReadOnlyList<NamedTensor> inputs) => Thread.Sleep(RunTime);
}
