namespace RecOperator.Operator.Metrics;

/// <summary>
/// The meaning of one instant query's answer: a value, or missing with the reason. Empty result = missing (no
/// series); NaN = missing (no data in the window, e.g. a quantile over zero traffic); multiple series = missing
/// (the query must aggregate, we never guess which series is meant); +Inf and -Inf are values.
/// </summary>
public sealed record PrometheusQueryResult(double? Value, string? MissingReason)
{
    public static PrometheusQueryResult Of(double value) => new(value, null);

    public static PrometheusQueryResult Missing(string reason) => new(null, reason);
}
