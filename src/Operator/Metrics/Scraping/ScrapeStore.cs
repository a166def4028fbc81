using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Metrics.Scraping;

/// <summary>
/// Every scraped pod's sliding window, plus the latest discovered targets per model (the ready replicas, as the
/// Endpoints list them). Thread-safe: the scrape loop writes while the autoscaler reads.
/// </summary>
public sealed class ScrapeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, PodSampleWindow> _pods = [];
    private readonly Dictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> _targets = [];
    private double _retentionSeconds = 120;

    /// <summary>Replaces the targets of every model; pods no longer listed are forgotten with their samples.</summary>
    public void SetTargets(IReadOnlyDictionary<ObjectKey, IReadOnlyList<ScrapeTarget>> targetsByModel)
    {
        ArgumentNullException.ThrowIfNull(targetsByModel);
        lock (_gate)
        {
            _targets.Clear();
            foreach (var (model, targets) in targetsByModel)
            {
                _targets[model] = targets;
            }

            var live = targetsByModel.Values.SelectMany(t => t).ToDictionary(t => t.Pod);
            foreach (var pod in _pods.Keys.Where(p => !live.ContainsKey(p)).ToList())
            {
                _pods.Remove(pod);
            }

            foreach (var (pod, target) in live)
            {
                if (_pods.TryGetValue(pod, out var window))
                {
                    window.Target = target;
                }
            }
        }
    }

    public void Record(ScrapeTarget target, PodScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            if (!_pods.TryGetValue(target.Pod, out var window))
            {
                _pods[target.Pod] = window = new PodSampleWindow(target);
            }

            window.Add(scrape);
            window.TrimBefore(scrape.TimeSeconds - _retentionSeconds);
        }
    }

    /// <summary>Makes sure samples are kept at least this long, so a query over a longer window finds them later.</summary>
    public void EnsureRetention(TimeSpan window)
    {
        lock (_gate)
        {
            // One extra minute: the scrape before the window's start lets rate() see the window's first increase.
            _retentionSeconds = Math.Max(_retentionSeconds, window.TotalSeconds + 60);
        }
    }

    /// <summary>Targets of one model in one (variant, pool): its ready replicas.</summary>
    public int ReadyTargets(ObjectKey model, string variant, string pool)
    {
        lock (_gate)
        {
            return _targets.TryGetValue(model, out var targets) ? targets.Count(t => t.Variant == variant && t.Pool == pool) : 0;
        }
    }

    /// <summary>Runs <paramref name="read"/> over the windows of one (variant, pool) of a model, under the lock.</summary>
    public T Read<T>(ObjectKey model, string variant, string pool, Func<IReadOnlyList<PodSampleWindow>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            var windows = _pods.Values.Where(w => w.Target.Model == model && w.Target.Variant == variant && w.Target.Pool == pool).ToList();
            return read(windows);
        }
    }
}
