using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose runs fail when an int64 input holds <see cref="Poison"/>, as ONNX Runtime fails a whole call on
/// one value it cannot take: a request that passes every check before the queue and still fails its engine call.
/// </summary>
internal sealed class PoisonEngine(IInferenceEngine inner, long poison) : IInferenceEngine
{
    public long Poison => poison;

    /// <summary>Engine calls made so far, by every session of the engine.</summary>
    public int Calls;

    public string Description => inner.Description;

    public IInferenceSession Load(string modelPath, InferenceSessionOptions? options = null) => new Session(inner.Load(modelPath, options), this);

    public IInferenceSession Load(ReadOnlySpan<byte> model, InferenceSessionOptions? options = null) => new Session(inner.Load(model, options), this);

    private sealed class Session(IInferenceSession inner, PoisonEngine engine) : IInferenceSession
    {
        public IReadOnlyList<TensorMetadata> Inputs => inner.Inputs;

        public IReadOnlyList<TensorMetadata> Outputs => inner.Outputs;

        public void Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<NamedTensor> outputs, CancellationToken cancellationToken = default)
        {
            Check(inputs);
            inner.Run(inputs, outputs, cancellationToken);
        }

        public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, CancellationToken cancellationToken = default)
        {
            Check(inputs);
            return inner.Run(inputs, cancellationToken);
        }

        public void Dispose() => inner.Dispose();

        private void Check(IReadOnlyList<NamedTensor> inputs)
        {
            Interlocked.Increment(ref engine.Calls);
            if (inputs.Any(i => i.Tensor is TensorBuffer<long> ids && ids.Span.Contains(engine.Poison)))
            {
                throw new InvalidOperationException($"poisoned id {engine.Poison}");
            }
        }
    }
}
