namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>Scores one request: one probability per candidate. A plain model and a split artifact both implement it.</summary>
public interface IRequestScorer : IDisposable
{
    float[] Score(SyntheticRequest request, CancellationToken cancellationToken);
}
