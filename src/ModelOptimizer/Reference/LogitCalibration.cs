namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Random Xavier weights give click logits that are either nearly constant (every probability about 0.5) or huge
/// (every probability 0 or 1), depending on depth; either way ranking metrics (AUC, top-k agreement) of an optimized
/// variant would measure noise. A trained CTR model's logits spread over a few units around a negative mean;
/// rescaling and shifting the last (linear) layer to logits of mean <see cref="TargetLogitMean"/> and standard
/// deviation <see cref="TargetLogitStd"/> on seeded samples gives the reference models that shape while keeping
/// every other weight as drawn.
/// </summary>
public static class LogitCalibration
{
    public const double TargetLogitStd = 1.5;
    public const double TargetLogitMean = -1.0;

    /// <summary>The last layer (one output) scaled and shifted so <paramref name="logits"/> would get the target mean and spread.</summary>
    public static DenseLayer Calibrate(DenseLayer lastLayer, IReadOnlyList<float> logits)
    {
        ArgumentNullException.ThrowIfNull(lastLayer);
        ArgumentNullException.ThrowIfNull(logits);
        var mean = logits.Average(l => (double)l);
        var std = Math.Sqrt(logits.Sum(l => (l - mean) * (l - mean)) / logits.Count);
        if (!(std > 0) || !double.IsFinite(std))
        {
            return lastLayer;
        }
        var factor = TargetLogitStd / std;
        // logit' = (logit - mean)·factor + target = x·(W·factor) + (b - mean)·factor + target.
        return lastLayer with
        {
            Weights = lastLayer.Weights.Select(w => (float)(w * factor)).ToArray(),
            Bias = lastLayer.Bias.Select(b => (float)(((b - mean) * factor) + TargetLogitMean)).ToArray(),
        };
    }
}
