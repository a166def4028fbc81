using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RecOperator.Observability;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// The operator's own metrics: queue depth per controller, a reconcile duration histogram and errors by reason.
/// They are System.Diagnostics.Metrics instruments on this instance's meter, rendered in the Prometheus text format
/// by the project's shared exporter (together with the runtime's meter), like the inference pod's.
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "RecOperator.Operator";
    private const string RuntimeMeterName = "System.Runtime";
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _apiRequests;
    private long _apiRequestCount;
    private readonly PrometheusTextExporter _exporter;
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepth = new(StringComparer.Ordinal);

    // Totals kept beside the instruments so callers (tests, status) can read them without a scrape.
    private readonly ConcurrentDictionary<(string Controller, string Reason), long> _errorCounts = new();
    private readonly ConcurrentDictionary<string, long> _reconcileCounts = new(StringComparer.Ordinal);

    public OperatorMetrics()
    {
        _meter.CreateObservableGauge("recop_workqueue_depth", ObserveQueues, null, "Keys waiting for a worker.");
        _duration = _meter.CreateHistogram<double>("recop_reconcile_duration_seconds", "s", "Time spent in ReconcileAsync.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        _errors = _meter.CreateCounter<long>("recop_reconcile_errors_total", null, "Failed reconciles by reason.");
        _apiRequests = _meter.CreateCounter<long>("recop_kube_requests_total", null, "Responses from the Kubernetes API server by method and status code.");
        // Only this instance's meter: tests and embedded runs may hold several operators in one process.
        _exporter = new PrometheusTextExporter(
            new PrometheusExporterOptions { MeterNames = [MeterName, RuntimeMeterName] },
            meter => ReferenceEquals(meter, _meter) || meter.Name == RuntimeMeterName);
    }

    /// <summary>The exporter behind the operator's <c>/metrics</c> endpoint.</summary>
    public IMetricsExporter Exporter => _exporter;

    public void TrackQueue(string controller, Func<int> depth) => _queueDepth[controller] = depth;

    public void ObserveReconcile(string controller, TimeSpan duration)
    {
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("controller", controller));
        _reconcileCounts.AddOrUpdate(controller, 1, (_, n) => n + 1);
    }

    public void CountError(string controller, string reason)
    {
        _errors.Add(1, new KeyValuePair<string, object?>("controller", controller), new KeyValuePair<string, object?>("reason", reason));
        _errorCounts.AddOrUpdate((controller, reason), 1, (_, n) => n + 1);
    }

    /// <summary>Counts one API server response; pass it as <c>KubeApiClientOptions.OnResponse</c>.</summary>
    public void CountApiResponse(HttpMethod method, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(method);
        _apiRequests.Add(1, new KeyValuePair<string, object?>("method", method.Method), new KeyValuePair<string, object?>("code", StatusCodeText(statusCode)));
        Interlocked.Increment(ref _apiRequestCount);
    }

    /// <summary>API server responses counted so far, all methods and codes.</summary>
    public long ApiResponses => Interlocked.Read(ref _apiRequestCount);

    public long Errors(string controller, string reason) => _errorCounts.GetValueOrDefault((controller, reason));

    public long Reconciles(string controller) => _reconcileCounts.GetValueOrDefault(controller);

    /// <summary>Every metric in the Prometheus text format, as of now.</summary>
    public string ToPrometheusText() => _exporter.Render();

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    // Status codes as label values without a string per request.
    private static readonly string[] StatusCodes = [.. Enumerable.Range(0, 600).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static string StatusCodeText(int statusCode) =>
        statusCode is >= 0 and < 600 ? StatusCodes[statusCode] : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private IEnumerable<Measurement<int>> ObserveQueues() =>
        _queueDepth.Select(q => new Measurement<int>(q.Value(), new KeyValuePair<string, object?>("controller", q.Key)));
}
