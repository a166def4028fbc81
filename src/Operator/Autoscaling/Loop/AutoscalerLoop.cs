using Microsoft.Extensions.Logging;
using RecOperator.Crds;
using RecOperator.Kube.Client;
using RecOperator.Kube.Events;
using RecOperator.Kube.Models;
using RecOperator.Operator.Fleet;
using RecOperator.Operator.Metrics.Scraping;
using RecOperator.Operator.Reconciling;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// The autoscaler's control loop: every sync period, for each RecModel, measure (metrics source), observe (informer
/// caches), decide (<see cref="ScalingPolicy"/>, pure) and publish a <see cref="FleetPlan"/> for the RecModel
/// reconciler, which alone writes children and status. Scale decisions are also recorded as Events.
/// </summary>
public sealed partial class AutoscalerLoop : IDisposable
{
    private readonly AutoscalerCaches _caches;
    private readonly IModelMetricsSources _metrics;
    private readonly PodScraper? _scraper;
    private readonly FleetPlanBook _book;
    private readonly EventRecorder _events;
    private readonly AutoscalerOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<bool> _isLeading;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownedHttp;
    private readonly Dictionary<ObjectKey, ModelAutoscaling> _models = [];
    private readonly SpecValidity _validity = new();

    public AutoscalerLoop(
        AutoscalerCaches caches, IModelMetricsSources metrics, PodScraper? scraper, FleetPlanBook book, EventRecorder events,
        AutoscalerOptions options, TimeProvider time, Func<bool> isLeading, ILogger<AutoscalerLoop> logger, HttpClient? ownedHttp = null)
    {
        (_caches, _metrics, _scraper, _book, _events, _options, _time, _isLeading, _logger, _ownedHttp) =
            (caches, metrics, scraper, book, events, options, time, isLeading, logger, ownedHttp);
    }

    /// <summary>
    /// The one-line registration for the operator: informers from the shared factory (call before the host starts
    /// them), the embedded scraper as the default metrics source, plans into <paramref name="book"/>. Events are
    /// written only while <paramref name="isLeading"/> says so (default: always); plans are computed regardless so a
    /// follower that takes over is already warm. Pass <paramref name="metrics"/> to replace the metrics sources;
    /// <paramref name="watchNamespace"/> limits it to the models of one namespace (the operator's --namespace).
    /// </summary>
    public static AutoscalerLoop Create(
        KubeApiClient client, SharedInformerFactory informers, FleetPlanBook book, AutoscalerOptions options, ILoggerFactory loggers,
        Func<bool>? isLeading = null, TimeProvider? time = null, IModelMetricsSources? metrics = null, string? watchNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(loggers);
        time ??= TimeProvider.System;
        var caches = AutoscalerCaches.From(informers, watchNamespace);
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        PodScraper? scraper = null;
        if (metrics is null)
        {
            var store = new ScrapeStore();
            // With a cluster Prometheus every model reads it, so the operator scrapes nothing itself.
            scraper = options.ClusterPrometheusUrl is null
                ? new PodScraper(http, store, caches.ScrapeTargets, options.Scraping, time, loggers.CreateLogger<PodScraper>())
                : null;
            metrics = new ModelMetricsSources(store, http, time, options.PrometheusTimeout, options.ClusterPrometheusUrl, options.PrometheusAuthorization);
        }

        // The reconciler's recorder: repeats of a decision count on one Event instead of piling up new ones.
        var events = OperatorEvents.Recorder(client, options.ReportingInstance, time);
        return new AutoscalerLoop(caches, metrics, scraper, book, events, options, time, isLeading ?? (() => true), loggers.CreateLogger<AutoscalerLoop>(), http);
    }

    /// <summary>Runs the scrape loop (direct metrics) and the sync loop until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_scraper?.RunAsync(cancellationToken) ?? Task.CompletedTask, SyncLoopAsync(cancellationToken));

    /// <summary>One pass over every model; the loop calls it each sync period, tests call it directly.</summary>
    public async Task SyncOnceAsync(CancellationToken cancellationToken)
    {
        if (!_caches.HasSynced())
        {
            // Nothing is decided from half-listed caches; the next tick looks again.
            return;
        }


        var models = _caches.Models.List().Where(m => m.Metadata?.DeletionTimestamp is null).ToList();
        var live = models.Select(ObjectKey.Of).ToHashSet();
        foreach (var gone in _models.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _models.Remove(gone);
            _book.Remove(gone);
        }

        _validity.KeepOnly(live);

        foreach (var model in models.Where(_validity.IsValid))
        {
            try
            {
                await SyncModelAsync(model, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One model's trouble (a bad spec, an API error) must not stop the others from being scaled.
                LogSyncFailed(_logger, ObjectKey.Of(model).ToString(), error);
            }
        }
    }

    public void Dispose() => _ownedHttp?.Dispose();

    private async Task SyncLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SyncPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SyncOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SyncModelAsync(RecModel model, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(model);
        var now = _time.GetUtcNow();
        var observed = _caches.Observe(model);
        var previous = _models.TryGetValue(key, out var known)
            ? known
            : ModelAutoscaling.Seed(observed, model.Spec.Variants.ToDictionary(v => v.Name, v => CapacityTracker.Initial(v, model.Spec.Slo.P99LatencyMs)), now);

        var window = TimeSpan.FromSeconds(model.Spec.Autoscaling.WindowSeconds);
        var measurement = await FleetMeasurement.QueryAsync(
            _metrics.For(model), ScalingInputBuilder.Pairs(model, observed), window, _options.RecentWindow, cancellationToken).ConfigureAwait(false);
        var ready = CapacityTracker.ReadyCounts(model, previous.ReadyCounts, measurement, observed, now);
        var starting = StartingReplicas.Find(previous.Scaling, observed.Actual, now, _options.Scaling.StartTimeout).Select(s => s.Key.Variant).ToHashSet(StringComparer.Ordinal);
        var capacity = CapacityTracker.Update(model, previous.Capacity, measurement, observed, ready, starting, now);
        var own = observed.DeployedReplicas.GroupBy(r => r.Key.Pool, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal);
        var pools = _caches.PoolsOf(model);
        var input = ScalingInputBuilder.Build(model, PoolCandidates.Build(pools, key, own), measurement, capacity, observed,
            pools.ToDictionary(p => p.Metadata!.Name!, p => p.Spec.Hardware, StringComparer.Ordinal));
        var policy = new ScalingPolicy(_time, _options.Scaling with
        {
            SyncPeriod = _options.SyncPeriod,
            StabilizationWindow = TimeSpan.FromSeconds(model.Spec.Autoscaling.ScaleDownStabilizationSeconds),
            MetricsWindow = window,
        });
        var decision = policy.Decide(input, previous.Scaling);
        var plan = FleetPlanBuilder.Build(model, decision, previous.Scaling.Replicas, measurement, capacity, previous.Plan, now);
        var serving = observed.Actual.Values.Any(a => a.Ready > 0);
        var (outage, warn) = MetricsOutage.Track(previous.Outage, decision.MetricsAvailable, serving, now, window);
        _models[key] = new ModelAutoscaling(decision.State, capacity, plan) { Outage = outage, Measured = decision.MetricsAvailable, ReadyCounts = ready };
        _book.Publish(key, plan);
        // A change, or the sync where metrics went: one line per model every sync of an outage says nothing new (the
        // condition and the Warning Event carry it).
        if (decision.Changed || (!decision.MetricsAvailable && previous.Measured))
        {
            var change = decision.Changed ? Describe(previous.Scaling.Replicas, decision.Replicas).Change : "replicas held";
            LogDecision(_logger, key.ToString(), change, decision.Explanation);
        }

        if (_isLeading())
        {
            await RecordEventsAsync(model, decision, previous, warn, cancellationToken).ConfigureAwait(false);
        }
    }
}
