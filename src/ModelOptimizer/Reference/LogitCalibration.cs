namespace RecOperator.ModelOptimizer.Reference;

/// <summary>
/// Random Xavier weights give click logits with a spread of a few hundredths, so every probability is about 0.5 and
/// ranking metrics (AUC, top-k agreement) of an optimized variant measure noise. A trained CTR model's logits spread
/// over a few units; scaling the last layer to a logit standard deviation of <see cref="TargetLogitStd"/> gives the
/// reference models that shape while keeping every other weight as drawn.
/// </summary>
public static class LogitCalibration
{
    public const double TargetLogitStd = 1.5;

    /// <summary>The last layer with weights and bias scaled so the logits behind <paramref name="probabilities"/> get the target spread.</summary>
    public static DenseLayer Scale(DenseLayer lastLayer, IReadOnlyList<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(lastLayer);
        ArgumentNullException.ThrowIfNull(probabilities);
        var logits = probabilities.Select(p => Math.Log(p / (1.0 - p))).ToArray();
        var mean = logits.Average();
        var std = Math.Sqrt(logits.Sum(l => (l - mean) * (l - mean)) / logits.Length);
        if (!(std > 0) || !double.IsFinite(std))
        {
            return lastLayer;
        }
        var factor = (float)(TargetLogitStd / std);
        return lastLayer with
        {
            Weights = lastLayer.Weights.Select(w => w * factor).ToArray(),
            Bias = lastLayer.Bias.Select(b => b * factor).ToArray(),
        };
    }
}
