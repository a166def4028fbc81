using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>Scores requests with one ONNX model: feeds every input it declares and reads its first output.</summary>
public sealed class SessionScorer(IInferenceSession session) : IRequestScorer
{
    public static SessionScorer Load(IInferenceEngine engine, string path, int threads)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new SessionScorer(engine.Load(path, new InferenceSessionOptions { IntraOpThreads = threads, InterOpThreads = 1 }));
    }

    public float[] Score(SyntheticRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = session.Inputs.Select(i => new NamedTensor(i.Name, request.Tensor(i.Name, i.ElementType))).ToList();
        try
        {
            var outputs = session.Run(inputs, cancellationToken);
            var scores = Scores(outputs[0].Tensor);
            foreach (var output in outputs)
            {
                output.Tensor.Dispose();
            }
            return scores;
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Tensor.Dispose();
            }
        }
    }

    public static float[] Scores(TensorBuffer tensor) => tensor switch
    {
        TensorBuffer<float> f => f.Span.ToArray(),
        TensorBuffer<Half> h => h.Span.ToArray().Select(v => (float)v).ToArray(),
        _ => throw new Graph.ModelRejectedException($"the model's first output has element type {tensor?.ElementType}; scores must be float or float16"),
    };

    public void Dispose() => session.Dispose();
}
