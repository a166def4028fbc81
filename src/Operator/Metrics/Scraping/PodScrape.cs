namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// The series of one pod's /metrics the autoscaler needs, at one scrape time: request counters per label set, and
/// duration-histogram buckets per (label set without le, le). Everything else on the page is dropped at once.
/// </summary>
public sealed record PodScrape(
    double TimeSeconds,
    IReadOnlyDictionary<string, double> Requests,
    IReadOnlyDictionary<(string Series, double Le), double> DurationBuckets)
{
    public const string RequestsMetric = "recpod_requests_total";
    public const string DurationBucketMetric = "recpod_request_duration_seconds_bucket";

    /// <summary>Keeps the request counter and duration buckets of a parsed page; a bucket without a numeric le is skipped.</summary>
    public static PodScrape From(double timeSeconds, IReadOnlyList<PromSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var requests = new Dictionary<string, double>(StringComparer.Ordinal);
        var buckets = new Dictionary<(string, double), double>();
        foreach (var sample in samples)
        {
            if (sample.Name == RequestsMetric)
            {
                requests[SeriesKey(sample.Labels, exceptLabel: null)] = sample.Value;
            }
            else if (sample.Name == DurationBucketMetric && sample.Labels.TryGetValue("le", out var le) && HistogramBucket.ParseUpperBound(le) is { } bound)
            {
                buckets[(SeriesKey(sample.Labels, exceptLabel: "le"), bound)] = sample.Value;
            }
        }

        return new PodScrape(timeSeconds, requests, buckets);
    }

    private static string SeriesKey(IReadOnlyDictionary<string, string> labels, string? exceptLabel) =>
        string.Join(",", labels.Where(l => l.Key != exceptLabel).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
