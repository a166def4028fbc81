namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// A metrics outage of one model: since when its ready pods have gone unmeasured, and whether a Warning said so. The
/// loop warns once per outage, and only once it has lasted a whole metrics window: a pod that has just become ready has
/// not been scraped twice yet (a rate needs two samples), and a model with no ready pod has nothing to measure, so
/// without the wait every new model got a MetricsMissing Warning. The condition says MetricsMissing all along. Pure.
/// </summary>
public sealed record MetricsOutage(DateTimeOffset Since, bool Warned)
{
    /// <param name="previous">The outage after the last sync, if there was one.</param>
    /// <param name="measured">Demand was measured at this sync.</param>
    /// <param name="serving">Some pod of the model is ready.</param>
    /// <param name="grace">How long ready pods may go unmeasured before it is an outage worth a Warning.</param>
    /// <returns>The outage after this sync (null when there is none) and whether to warn now.</returns>
    public static (MetricsOutage? Outage, bool Warn) Track(MetricsOutage? previous, bool measured, bool serving, DateTimeOffset now, TimeSpan grace)
    {
        if (measured || !serving)
        {
            return (null, false);
        }

        var outage = previous ?? new MetricsOutage(now, Warned: false);
        return !outage.Warned && now - outage.Since >= grace ? (outage with { Warned = true }, true) : (outage, false);
    }
}
