using RecOperator.Operator.Metrics;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// One sync's metrics of a model: every (variant, pool) over the model's window and over the short recent window.
/// The only I/O is <see cref="QueryAsync"/>; the aggregations are pure.
/// </summary>
public sealed record FleetMeasurement(IReadOnlyDictionary<PlacementKey, MetricsSample> Window, IReadOnlyDictionary<PlacementKey, MetricsSample> Recent)
{
    public static async Task<FleetMeasurement> QueryAsync(
        IMetricsSource source, IEnumerable<PlacementKey> pairs, TimeSpan window, TimeSpan recentWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var windowSamples = new Dictionary<PlacementKey, MetricsSample>();
        var recentSamples = new Dictionary<PlacementKey, MetricsSample>();
        foreach (var pair in pairs)
        {
            windowSamples[pair] = await source.QueryAsync(pair.Variant, pair.Pool, window, cancellationToken).ConfigureAwait(false);
            recentSamples[pair] = await source.QueryAsync(pair.Variant, pair.Pool, recentWindow, cancellationToken).ConfigureAwait(false);
        }

        return new FleetMeasurement(windowSamples, recentSamples);
    }

    /// <summary>
    /// Total demand, or null when it cannot be trusted: nothing was measured, or a placement with ready pods was not
    /// (its traffic would be missing from the sum, and the loop would scale down blind).
    /// </summary>
    public static double? TotalQps(IReadOnlyDictionary<PlacementKey, MetricsSample> samples, IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(actual);
        var measured = samples.Where(s => s.Value.Qps is { } q && double.IsFinite(q)).ToList();
        var unmeasuredServing = actual.Any(a => a.Value.Ready > 0 && !measured.Any(m => m.Key == a.Key));
        return measured.Count == 0 || unmeasuredServing ? null : measured.Sum(m => m.Value.Qps!.Value);
    }

    /// <summary>
    /// Why <see cref="TotalQps"/> is null, one line per placement with the source's reason: the placements with ready
    /// pods that were not measured; when nothing is ready, every placement that has pods or a Deployment (else every
    /// one queried). Empty when demand is known.
    /// </summary>
    public static IReadOnlyList<string> Unmeasured(IReadOnlyDictionary<PlacementKey, MetricsSample> samples, IReadOnlyDictionary<PlacementKey, ReplicaCounts> actual)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(actual);
        if (TotalQps(samples, actual) is not null)
        {
            return [];
        }

        var serving = actual.Where(a => a.Value.Ready > 0).Select(a => a.Key).ToList();
        var named = serving.Count > 0 ? serving : actual.Count > 0 ? actual.Keys : samples.Keys;
        var lines = named.OrderBy(key => key.ToString(), StringComparer.Ordinal)
            .Select(key => (Key: key, Sample: samples.GetValueOrDefault(key)))
            .Where(s => s.Sample?.Qps is not { } q || !double.IsFinite(q))
            .Select(s => $"{s.Key}: {s.Sample?.MissingReason ?? "not measured"}");
        return serving.Count > 0 ? [.. lines] : ["no pod of the model is ready yet", .. lines];
    }

    /// <summary>The worst p99 per variant over its pools: the SLO holds for every pool, not on average.</summary>
    public IReadOnlyDictionary<string, double> VariantP99Ms() =>
        Window.Where(s => s.Value.P99Ms is { } p && double.IsFinite(p))
            .GroupBy(s => s.Key.Variant, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Value.P99Ms!.Value), StringComparer.Ordinal);
}
