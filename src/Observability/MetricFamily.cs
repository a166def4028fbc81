using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RecOperator.Observability;

/// <summary>All series of one Prometheus metric name, and how to write them in the text format (version 0.0.4).</summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TagSetKey, MetricSeries> _seriesByTags = new();

    /// <summary>The series found last and its tags: most measurements repeat the same tag objects, so no hashing.</summary>
    private LastSeries? _last;

    public MetricFamily(string name, string help, MetricKind kind, IReadOnlyList<double> upperBounds)
    {
        Name = name;
        Help = help;
        Kind = kind;
        UpperBounds = upperBounds;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    /// <summary>Histogram bucket upper bounds, ascending, without +Inf.</summary>
    public IReadOnlyList<double> UpperBounds { get; }

    public MetricSeries Series(string labels) =>
        _series.GetOrAdd(labels, static (key, bounds) => new MetricSeries(key, bounds.Count), UpperBounds);

    /// <summary>The series of these tags: a lookup without allocation once the tag set has been seen.</summary>
    public MetricSeries Series(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!TagSetKey.TryCreate(tags, out var key))
        {
            return Series(PrometheusNames.Labels(tags));
        }
        if (Volatile.Read(ref _last) is { } last && last.Key.SameObjects(key))
        {
            return last.Series;
        }
        if (!_seriesByTags.TryGetValue(key, out var series))
        {
            series = Series(PrometheusNames.Labels(tags));
            _seriesByTags.TryAdd(key, series);
        }
        Volatile.Write(ref _last, new LastSeries(key, series));
        return series;
    }

    public void WriteTo(StringBuilder text)
    {
        if (_series.IsEmpty)
        {
            return;
        }
        var type = Kind switch { MetricKind.Counter => "counter", MetricKind.Histogram => "histogram", _ => "gauge" };
        text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusNames.EscapeHelp(Help)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var series in _series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal))
        {
            if (Kind == MetricKind.Histogram)
            {
                WriteHistogram(text, series);
            }
            else
            {
                WriteSample(text, Name, series.Labels, PrometheusNames.Number(series.Value));
            }
        }
    }

    private void WriteHistogram(StringBuilder text, MetricSeries series)
    {
        long cumulative = 0;
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            cumulative += series.BucketCount(i);
            WriteSample(text, Name + "_bucket", Join(series.Labels, $"le=\"{PrometheusNames.Number(UpperBounds[i])}\""),
                cumulative.ToString(CultureInfo.InvariantCulture));
        }
        var count = series.Count;
        WriteSample(text, Name + "_bucket", Join(series.Labels, "le=\"+Inf\""), count.ToString(CultureInfo.InvariantCulture));
        WriteSample(text, Name + "_sum", series.Labels, PrometheusNames.Number(series.Sum));
        WriteSample(text, Name + "_count", series.Labels, count.ToString(CultureInfo.InvariantCulture));
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void WriteSample(StringBuilder text, string name, string labels, string value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(value).Append('\n');
    }

    private sealed record LastSeries(TagSetKey Key, MetricSeries Series);
}
