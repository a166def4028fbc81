using System.Diagnostics.Metrics;
using RecOperator.InferencePod.Batching;
using RecOperator.Observability;

namespace RecOperator.InferencePod.Server;

/// <summary>The pod's instruments, named as DESIGN.md lists them; the exporter writes them as Prometheus metrics.</summary>
public sealed class PodMetrics : IBatchObserver
{
    public const string MeterName = "RecOperator.InferencePod";

    /// <summary>Latency buckets (seconds) dense around the 1-50 ms SLOs of ranking models.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static readonly IReadOnlyList<long> BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _candidates;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _batchDuration;
    private readonly UpDownCounter<long> _inflight;
    private readonly KeyValuePair<string, object?> _model;
    private readonly KeyValuePair<string, object?> _variant;
    private readonly PodState? _state;
    private double _modelLoadSeconds = double.NaN;

    /// <param name="state">The pod's readiness; while it is warming up nothing is recorded. Null records always.</param>
    public PodMetrics(IMeterFactory meterFactory, string model, string variant, Func<int> queueDepth, PodState? state = null)
    {
        _state = state;
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _model = new("model", model);
        _variant = new("variant", variant);
        _requests = Meter.CreateCounter<long>("recpod_requests_total", null, "Inference requests answered, by status code");
        _duration = Meter.CreateHistogram<double>("recpod_request_duration_seconds", "s", "Inference request latency from arrival to answer", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _candidates = Meter.CreateCounter<long>("recpod_candidates_total", null, "Candidates (rows) scored");
        _batchSize = Meter.CreateHistogram<long>("recpod_batch_size", null, "Rows per engine call", null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        // Where a request's latency goes: waiting for its batch (the gathering window and the calls ahead of it), then
        // the batch's run; the rest of recpod_request_duration_seconds is the protocol's.
        _queueDuration = Meter.CreateHistogram<double>("recpod_queue_duration_seconds", "s",
            "Time a request waited in the batching queue, gathering window included, before its batch ran", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _batchDuration = Meter.CreateHistogram<double>("recpod_batch_duration_seconds", "s",
            "Time one batch took to run: inputs joined, the engine call, outputs split", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _inflight = Meter.CreateUpDownCounter<long>("recpod_inflight", null, "Inference requests being processed");
        Meter.CreateObservableGauge("recpod_queue_depth", () => new Measurement<int>(queueDepth(), _model, _variant), null, "Requests waiting in the batching queue");
        Meter.CreateObservableGauge("recpod_model_load_seconds", ObserveLoad, "s", "Seconds the model took to fetch, load and warm up");
    }

    public Meter Meter { get; }

    /// <summary>
    /// False while the pod warms its serving path up: those requests are not traffic, and their cold latencies in the
    /// histogram would read as a p99 breach to an autoscaler.
    /// </summary>
    public bool Recording => _state?.Warming != true;

    /// <summary>
    /// Has <paramref name="exporter"/> write the series the operator's autoscaler reads from start-up, before any
    /// request: <c>recpod_requests_total{code="200"}</c> at 0 and <c>recpod_request_duration_seconds</c> with empty
    /// buckets. Without them an idle pod has no such series, so <c>rate()</c> finds no data and the operator reads the
    /// model's demand as missing instead of 0 QPS.
    /// </summary>
    public void InitializeSeries(PrometheusTextExporter exporter)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        exporter.Initialize(_requests, _model, _variant, new("code", CodeText(200)));
        exporter.Initialize(_duration, _model, _variant);
    }

    public void ModelLoaded(double seconds) => _modelLoadSeconds = seconds;

    public void RequestStarted() => _inflight.Add(1, _model, _variant);

    public void RequestFinished(int httpCode, double seconds, int candidates)
    {
        _inflight.Add(-1, _model, _variant);
        _requests.Add(1, _model, _variant, new("code", CodeText(httpCode)));
        _duration.Record(seconds, _model, _variant);
        if (candidates > 0)
        {
            _candidates.Add(candidates, _model, _variant);
        }
    }

    public void BatchRan(long rows, ReadOnlySpan<double> queuedSeconds, double runSeconds)
    {
        if (!Recording)
        {
            return;
        }
        _batchSize.Record(rows, _model, _variant);
        _batchDuration.Record(runSeconds, _model, _variant);
        foreach (var seconds in queuedSeconds)
        {
            _queueDuration.Record(seconds, _model, _variant);
        }
    }

    private IEnumerable<Measurement<double>> ObserveLoad() =>
        double.IsNaN(_modelLoadSeconds) ? [] : [new Measurement<double>(_modelLoadSeconds, _model, _variant)];

    /// <summary>Cached strings for common codes so a request does not format one.</summary>
    private static string CodeText(int code) => code switch
    {
        200 => "200",
        400 => "400",
        404 => "404",
        413 => "413",
        429 => "429",
        503 => "503",
        504 => "504",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
