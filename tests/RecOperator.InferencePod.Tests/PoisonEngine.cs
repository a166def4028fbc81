using RecOperator.Onnx;

namespace RecOperator.InferencePod.Tests;

/// <summary>
/// An engine whose runs fail when an int64 input holds <see cref="Poison"/>, as ONNX Runtime fails a whole call on
/// one value it cannot take: a request that passes every check before the queue and still fails its engine call.
/// </summary>
internal sealed class PoisonEngine(IInferenceEngine inner, long poison) : WrappedEngine(inner)
{
    private int _calls;

    public long Poison => poison;

    /// <summary>Engine calls made so far, by every session of the engine.</summary>
    public int Calls => Volatile.Read(ref _calls);

    protected override void BeforeRun(IReadOnlyList<NamedTensor> inputs)
    {
        Interlocked.Increment(ref _calls);
        if (inputs.Any(i => i.Tensor is TensorBuffer<long> ids && ids.Span.Contains(poison)))
        {
            throw new InvalidOperationException($"poisoned id {poison}");
        }
    }
}
