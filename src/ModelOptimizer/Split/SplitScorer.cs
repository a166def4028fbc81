using RecOperator.ModelOptimizer.Fidelity;
using RecOperator.Onnx;

namespace RecOperator.ModelOptimizer.Split;

/// <summary>Scores a request the way the pod serves a split artifact: the user model once, then the candidate model.</summary>
public sealed class SplitScorer(IInferenceSession user, IInferenceSession candidate) : IRequestScorer
{
    public float[] Score(SyntheticRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var userInputs = user.Inputs.Select(i => new NamedTensor(i.Name, request.Tensor(i.Name, i.ElementType))).ToList();
        var userOutputs = user.Run(userInputs, cancellationToken).ToDictionary(o => o.Name, o => o.Tensor, StringComparer.Ordinal);
        var candidateInputs = candidate.Inputs
            .Select(i => new NamedTensor(i.Name, userOutputs.TryGetValue(i.Name, out var fromUser) ? fromUser : request.Tensor(i.Name, i.ElementType)))
            .ToList();
        var outputs = candidate.Run(candidateInputs, cancellationToken);
        var scores = SessionScorer.Scores(outputs[0].Tensor);
        foreach (var tensor in userInputs.Concat(candidateInputs).Concat(outputs).Select(t => t.Tensor).Distinct())
        {
            tensor.Dispose();
        }
        return scores;
    }

    public void Dispose()
    {
        user.Dispose();
        candidate.Dispose();
    }
}
