using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// The operator's own metrics in the Prometheus text format (prometheus-net is not available here): queue
/// depth per controller, a reconcile duration histogram, and errors by reason.
/// </summary>
public sealed class OperatorMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepth = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _durations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Controller, string Reason), long> _errors = new();

    public void TrackQueue(string controller, Func<int> depth) => _queueDepth[controller] = depth;

    public void ObserveReconcile(string controller, TimeSpan duration) =>
        _durations.GetOrAdd(controller, _ => new Histogram()).Observe(duration.TotalSeconds);

    public void CountError(string controller, string reason) => _errors.AddOrUpdate((controller, reason), 1, (_, n) => n + 1);

    public long Errors(string controller, string reason) => _errors.GetValueOrDefault((controller, reason));

    public long Reconciles(string controller) => _durations.TryGetValue(controller, out var h) ? h.Count : 0;

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        text.Append("# HELP recop_workqueue_depth Keys waiting for a worker.\n# TYPE recop_workqueue_depth gauge\n");
        foreach (var (controller, depth) in _queueDepth.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"recop_workqueue_depth{{controller=\"{controller}\"}} {depth()}\n");
        }

        text.Append("# HELP recop_reconcile_duration_seconds Time spent in ReconcileAsync.\n# TYPE recop_reconcile_duration_seconds histogram\n");
        foreach (var (controller, histogram) in _durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            histogram.Write(text, "recop_reconcile_duration_seconds", $"controller=\"{controller}\"", Buckets);
        }

        text.Append("# HELP recop_reconcile_errors_total Failed reconciles by reason.\n# TYPE recop_reconcile_errors_total counter\n");
        foreach (var ((controller, reason), count) in _errors.OrderBy(e => e.Key.Controller, StringComparer.Ordinal).ThenBy(e => e.Key.Reason, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"recop_reconcile_errors_total{{controller=\"{controller}\",reason=\"{reason}\"}} {count}\n");
        }

        return text.ToString();
    }

    private sealed class Histogram
    {
        private readonly Lock _gate = new();
        private readonly long[] _counts = new long[Buckets.Length];
        private double _sum;

        public long Count { get; private set; }

        public void Observe(double seconds)
        {
            lock (_gate)
            {
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (seconds <= Buckets[i])
                    {
                        _counts[i]++;
                    }
                }

                _sum += seconds;
                Count++;
            }
        }

        public void Write(StringBuilder text, string name, string labels, double[] bounds)
        {
            lock (_gate)
            {
                for (var i = 0; i < bounds.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{bounds[i]}\"}} {_counts[i]}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {Count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {_sum}\n{name}_count{{{labels}}} {Count}\n");
            }
        }
    }
}
