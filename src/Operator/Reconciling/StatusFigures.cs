namespace RecOperator.Operator.Reconciling;

/// <summary>
/// The precision of the figures the operator writes into status: what a reader of <c>kubectl get</c> can use and no
/// more. Raw doubles (14.666486071511999 QPS, a cost of 0.27999999999999997 per hour) are noise, and every last digit
/// that moves between syncs is one more status write. A non-finite value has no JSON form and becomes null. Pure.
/// </summary>
public static class StatusFigures
{
    /// <summary>Requests per second (also a capacity per replica), to 0.01.</summary>
    public static double? Qps(double? qps) => Round(qps, 2);

    /// <summary>A latency in milliseconds, to 0.01 ms: finer than the pod's latency buckets resolve, fine enough for sub-ms GPU variants.</summary>
    public static double? LatencyMs(double? milliseconds) => Round(milliseconds, 2);

    /// <summary>A cost per hour, to 4 decimals: spot prices per replica-hour are fractions of a cent apart.</summary>
    public static double? Cost(double? perHour) => Round(perHour, 4);

    /// <summary>A share between 0 and 1, to 4 decimals.</summary>
    public static double? Share(double? share) => Round(share, 4);

    private static double? Round(double? value, int decimals) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, decimals, MidpointRounding.AwayFromZero) : null;
}
