using System.Globalization;

namespace RecOperator.Operator.Metrics;

/// <summary>A cumulative histogram bucket: observations less than or equal to <see cref="UpperBound"/> (le).</summary>
public readonly record struct HistogramBucket(double UpperBound, double Count)
{
    /// <summary>The bound a text-format <c>le</c> label names ("+Inf" included); null when it is not a number.</summary>
    public static double? ParseUpperBound(string le) => le switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        _ => double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) ? bound : null,
    };
}
