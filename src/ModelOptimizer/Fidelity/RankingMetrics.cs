namespace RecOperator.ModelOptimizer.Fidelity;

/// <summary>Pure ranking and calibration metrics over score arrays.</summary>
public static class RankingMetrics
{
    /// <summary>|top-k(reference) ∩ top-k(candidate)| / k, with k capped at the number of candidates.</summary>
    public static double TopKAgreement(IReadOnlyList<float> reference, IReadOnlyList<float> candidate, int k)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        k = Math.Min(k, reference.Count);
        if (k == 0)
        {
            return 1;
        }
        var top = TopK(reference, k).ToHashSet();
        return TopK(candidate, k).Count(top.Contains) / (double)k;
    }

    /// <summary>Spearman's rho: Pearson correlation of the ranks (ties get their average rank); 1 when both are constant.</summary>
    public static double Spearman(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var ra = Ranks(a);
        var rb = Ranks(b);
        var meanA = ra.Average();
        var meanB = rb.Average();
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < ra.Length; i++)
        {
            cov += (ra[i] - meanA) * (rb[i] - meanB);
            varA += (ra[i] - meanA) * (ra[i] - meanA);
            varB += (rb[i] - meanB) * (rb[i] - meanB);
        }
        return varA == 0 || varB == 0 ? (varA == varB ? 1 : 0) : cov / Math.Sqrt(varA * varB);
    }

    /// <summary>ROC AUC by the rank-sum (Mann-Whitney) formula; 0.5 when one class is missing.</summary>
    public static double Auc(IReadOnlyList<float> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var ranks = Ranks(scores);
        long positives = labels.Count(l => l);
        long negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return 0.5;
        }
        var positiveRankSum = ranks.Where((_, i) => labels[i]).Sum();
        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>Mean binary cross-entropy; probabilities are clipped to [1e-7, 1 - 1e-7] so a saturated score stays finite.</summary>
    public static double LogLoss(IReadOnlyList<float> probabilities, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        double sum = 0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-7, 1 - 1e-7);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return probabilities.Count == 0 ? 0 : sum / probabilities.Count;
    }

    private static IEnumerable<int> TopK(IReadOnlyList<float> scores, int k) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k);

    private static double[] Ranks(IReadOnlyList<float> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            var average = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                ranks[order[i]] = average;
            }
            start = end + 1;
        }
        return ranks;
    }
}
