using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose runs take at least <see cref="RunTime"/> longer (zero until a test sets it, so start-up and warm-up
/// stay quick): an engine call of a known length, whatever the machine.
/// </summary>
internal sealed class SlowEngine(IInferenceEngine inner) : IInferenceEngine
{
    private long _runTicks;

    public TimeSpan RunTime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _runTicks));
        set => Interlocked.Exchange(ref _runTicks, value.Ticks);
    }

    public string Description => inner.Description;

    public IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null) => new Session(inner.Load(modelPath, options), this);

    public IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null) => new Session(inner.Load(model, options), this);

    private sealed class Session(IInferenceSession inner, SlowEngine engine) : IInferenceSession
    {
        public IReadOnlyList<TensorMetadata> Inputs => inner.Inputs;

        public IReadOnlyList<TensorMetadata> Outputs => inner.Outputs;

        public void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
        {
            Thread.Sleep(engine.RunTime);
            inner.Run(inputs, outputs, cancellationToken);
        }

        public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default)
        {
            Thread.Sleep(engine.RunTime);
            return inner.Run(inputs, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
