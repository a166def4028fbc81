using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace RecOperator.Observability;

/// <summary>
/// Listens to System.Diagnostics.Metrics instruments of the chosen meters (counters, up-down counters, gauges,
/// histograms and their observable forms) and renders them in the Prometheus text format. Histograms use the
/// instrument's explicit bucket advice when it has one, so the pod decides its latency buckets where it creates them.
/// </summary>
public sealed class PrometheusTextExporter : IMetricsExporter, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Func<Meter, bool> _includeMeter;
    private readonly PrometheusExporterOptions _options;
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _exported = new();
    private readonly Lock _observeLock = new();

    /// <param name="options">Buckets and meter names.</param>
    /// <param name="includeMeter">Extra filter, e.g. to keep only meters of one <c>IMeterFactory</c> (Meter.Scope) when
    /// several servers share a process; null keeps every meter whose name is listed.</param>
    public PrometheusTextExporter(PrometheusExporterOptions options, Func<Meter, bool>? includeMeter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _includeMeter = includeMeter ?? (_ => true);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (options.MeterNames.Contains(instrument.Meter.Name) && _includeMeter(instrument.Meter))
            {
                var family = FamilyFor(instrument);
                _exported[instrument] = family;
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _exported.TryRemove(instrument, out _);
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(i, (double)v, t, s));
        _listener.Start();
    }

    public string ContentType => "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Polls the observable instruments, then renders every family (families without samples are left out).</summary>
    public string Render()
    {
        lock (_observeLock)
        {
            _listener.RecordObservableInstruments();
        }
        var text = new StringBuilder(4096);
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.WriteTo(text);
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes the series of these tags from now on, before the instrument records anything into it: a counter at 0, a
    /// histogram with empty buckets. Prometheus client libraries advise this for label sets known in advance, because a
    /// series that does not exist yet reads as "no data" to <c>rate()</c>, not as zero. A no-op for an instrument this
    /// exporter does not export.
    /// </summary>
    public void Initialize(Instrument instrument, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (_exported.TryGetValue(instrument, out var family))
        {
            _ = family.Series(tags);
        }
    }

    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await destination.WriteAsync(Encoding.UTF8.GetBytes(Render()), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _listener.Dispose();

    private MetricFamily FamilyFor(Instrument instrument)
    {
        var kind = Classify(instrument);
        var name = PrometheusNames.MetricName(instrument.Name, kind);
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        var bounds = kind == MetricKind.Histogram ? BucketsOf(instrument) ?? _options.DefaultBuckets : [];
        var family = _families.GetOrAdd(name, _ => new MetricFamily(name, help, kind, bounds));
        return family.Kind == kind
            ? family
            : throw new InvalidOperationException($"metric '{name}' is exported as {family.Kind} and as {kind} (instrument {instrument.Meter.Name}/{instrument.Name})");
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (state is not MetricFamily family)
        {
            return;
        }
        var series = family.Series(tags);
        switch (family.Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value, family.UpperBounds);
                break;
            case MetricKind.Counter when instrument.IsObservable:
            case MetricKind.Gauge when instrument.IsObservable || IsSynchronousGauge(instrument):
                // Observable instruments report their current (cumulative) value; a gauge reports its latest value.
                series.Set(value);
                break;
            default:
                series.Add(value);
                break;
        }
    }

    private static MetricKind Classify(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            return MetricKind.Counter;
        }
        return definition == typeof(Histogram<>) ? MetricKind.Histogram : MetricKind.Gauge;
    }

    private static bool IsSynchronousGauge(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Gauge<>);

    private static IReadOnlyList<double>? BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };
}
