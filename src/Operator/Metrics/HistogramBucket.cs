namespace RecOperator.Operator.Metrics;

/// <summary>A cumulative histogram bucket: observations less than or equal to <see cref="UpperBound"/> (le).</summary>
public readonly record struct HistogramBucket(double UpperBound, double Count);
