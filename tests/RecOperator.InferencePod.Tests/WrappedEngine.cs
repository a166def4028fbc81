using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// A real engine whose every run first calls <see cref="BeforeRun"/>: the seam for test engines that slow, fail or
/// watch engine calls while ONNX Runtime still computes the answers.
/// </summary>
internal abstract class WrappedEngine(IInferenceEngine inner) : IInferenceEngine
{
    public string Description => inner.Description;

    public IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null) => new Session(inner.Load(modelPath, options), this);

    public IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null) => new Session(inner.Load(model, options), this);

    /// <summary>Runs on the calling (batch worker) thread before each engine call of any session; may throw to fail it.</summary>
    protected abstract void BeforeRun(IReadOnlyList<NamedTensor> inputs);

    private sealed class Session(IInferenceSession inner, WrappedEngine engine) : IInferenceSession
    {
        public IReadOnlyList<TensorMetadata> Inputs => inner.Inputs;

        public IReadOnlyList<TensorMetadata> Outputs => inner.Outputs;

        public void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
        {
            engine.BeforeRun(inputs);
            inner.Run(inputs, outputs, cancellationToken);
        }

        public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default)
        {
            engine.BeforeRun(inputs);
            return inner.Run(inputs, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
