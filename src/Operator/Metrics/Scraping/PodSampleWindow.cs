namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// The recent scrapes of one pod, oldest first, and PromQL's per-series <c>rate</c> over them. Not thread-safe:
/// <see cref="ScrapeStore"/> guards it.
/// </summary>
public sealed class PodSampleWindow(ScrapeTarget target)
{
    private readonly List<PodScrape> _scrapes = [];

    public ScrapeTarget Target { get; set; } = target;

    public int Count => _scrapes.Count;

    public void Add(PodScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        // Scrapes can finish out of order when one is slow; keep time order, as a range selector sees it.
        var at = _scrapes.FindLastIndex(s => s.TimeSeconds <= scrape.TimeSeconds) + 1;
        _scrapes.Insert(at, scrape);
    }

    /// <summary>Drops scrapes older than the given time.</summary>
    public void TrimBefore(double timeSeconds) => _scrapes.RemoveAll(s => s.TimeSeconds < timeSeconds);

    /// <summary>Sum over the pod's request series of rate() in the range; null when no series has two points in it.</summary>
    public double? RequestRate(double start, double end)
    {
        var inRange = InRange(start, end);
        double? sum = null;
        foreach (var series in inRange.SelectMany(s => s.Requests.Keys).Distinct(StringComparer.Ordinal))
        {
            var points = inRange.Where(s => s.Requests.ContainsKey(series)).Select(s => new CounterPoint(s.TimeSeconds, s.Requests[series])).ToList();
            if (PromQl.Rate(points, start, end) is var rate && double.IsFinite(rate))
            {
                sum = (sum ?? 0) + rate;
            }
        }

        return sum;
    }

    /// <summary>Adds rate() of every duration bucket series in the range to <paramref name="byLe"/>: PromQL's sum by (le).</summary>
    public void AddBucketRates(double start, double end, Dictionary<double, double> byLe)
    {
        ArgumentNullException.ThrowIfNull(byLe);
        var inRange = InRange(start, end);
        foreach (var series in inRange.SelectMany(s => s.DurationBuckets.Keys).Distinct())
        {
            var points = inRange.Where(s => s.DurationBuckets.ContainsKey(series)).Select(s => new CounterPoint(s.TimeSeconds, s.DurationBuckets[series])).ToList();
            if (PromQl.Rate(points, start, end) is var rate && double.IsFinite(rate))
            {
                byLe[series.Le] = byLe.GetValueOrDefault(series.Le) + rate;
            }
        }
    }

    private List<PodScrape> InRange(double start, double end) => _scrapes.Where(s => s.TimeSeconds >= start && s.TimeSeconds <= end).ToList();
}
