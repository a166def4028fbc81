namespace RecOperator.Operator.Metrics;

/// <summary>PromQL's <c>rate</c> and <c>histogram_quantile</c> as pure functions over scraped points.</summary>
public static class PromQl
{
    /// <summary>
    /// Per-second rate of a counter over [rangeStart, rangeEnd], as Prometheus computes it: counter resets are
    /// bridged, and the increase is extrapolated towards the range ends (by at most half a scrape interval past the
    /// points, and never below zero). Fewer than two points give NaN: not measurable.
    /// </summary>
    public static double Rate(IReadOnlyList<CounterPoint> points, double rangeStart, double rangeEnd)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2 || rangeEnd <= rangeStart)
        {
            return double.NaN;
        }

        var first = points[0];
        var last = points[^1];
        var increase = last.Value - first.Value;
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Value < points[i - 1].Value)
            {
                increase += points[i - 1].Value;
            }
        }

        var sampled = last.TimeSeconds - first.TimeSeconds;
        if (sampled <= 0)
        {
            return double.NaN;
        }

        var toStart = first.TimeSeconds - rangeStart;
        var toEnd = rangeEnd - last.TimeSeconds;
        var average = sampled / (points.Count - 1);
        if (increase > 0 && first.Value >= 0)
        {
            // A counter cannot have been below zero: do not extrapolate past the point where it would have been 0.
            toStart = Math.Min(toStart, sampled * (first.Value / increase));
        }

        var threshold = average * 1.1;
        var interval = sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
        return increase * (interval / sampled) / (rangeEnd - rangeStart);
    }

    /// <summary>
    /// The q-quantile of a cumulative histogram, as Prometheus computes it: linear interpolation inside the bucket
    /// that holds the rank; a rank in the +Inf bucket gives the largest finite bound. NaN when there is no
    /// +Inf bucket, fewer than two buckets, or no observations.
    /// </summary>
    public static double HistogramQuantile(double q, IReadOnlyList<HistogramBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (double.IsNaN(q))
        {
            return double.NaN;
        }

        if (q < 0 || q > 1)
        {
            return q < 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }

        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        if (sorted.Count < 2 || !double.IsPositiveInfinity(sorted[^1].UpperBound))
        {
            return double.NaN;
        }

        // Scrapes of different buckets are not atomic, so counts may dip; Prometheus evens them out the same way.
        for (var i = 1; i < sorted.Count; i++)
        {
            sorted[i] = sorted[i] with { Count = Math.Max(sorted[i].Count, sorted[i - 1].Count) };
        }

        var total = sorted[^1].Count;
        if (total <= 0)
        {
            return double.NaN;
        }

        var rank = q * total;
        var b = sorted.FindIndex(x => x.Count >= rank);
        if (b == sorted.Count - 1)
        {
            return sorted[^2].UpperBound;
        }

        if (b == 0 && sorted[0].UpperBound <= 0)
        {
            return sorted[0].UpperBound;
        }

        var start = b == 0 ? 0 : sorted[b - 1].UpperBound;
        var below = b == 0 ? 0 : sorted[b - 1].Count;
        var inBucket = sorted[b].Count - below;
        return inBucket <= 0 ? start : start + ((sorted[b].UpperBound - start) * ((rank - below) / inBucket));
    }
}
