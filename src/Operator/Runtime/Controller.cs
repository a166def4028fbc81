using Microsoft.Extensions.Logging;
using RecOperator.Kube;
using RecOperator.Kube.Client;

namespace RecOperator.Operator.Runtime;

/// <summary>
/// Feeds keys from informers into a rate-limited queue and runs N workers over it, each calling the level-based
/// reconciler. Errors retry with per-key backoff; RequeueAfter schedules a re-check; Terminal stops retrying.
/// </summary>
public sealed partial class Controller : IDisposable
{
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly OperatorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public Controller(string name, IReconciler reconciler, ControllerOptions? options, OperatorMetrics metrics, ILogger logger, TimeProvider? timeProvider = null)
    {
        (Name, _reconciler, _metrics, _logger) = (name, reconciler, metrics, logger);
        _options = options ?? new ControllerOptions();
        _time = timeProvider ?? TimeProvider.System;
        Queue = new WorkQueue<ObjectKey>(_options.RateLimiter, _time);
        metrics.TrackQueue(name, () => Queue.Count);
    }

    public string Name { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>Reconciles the object itself when an event passes the filter (default: generation changed).</summary>
    public Controller Watch<T>(SharedInformer<T> informer, Func<InformerEvent<T>, bool>? filter = null)
        where T : class, IKubernetesObject
    {
        filter ??= EventFilters.GenerationChanged;
        informer.Subscribe(change =>
        {
            if (filter(change))
            {
                Queue.Add(ObjectKey.Of(change.Object));
            }
        });
        return this;
    }

    /// <summary>Reconciles the controlling owner (of the given apiVersion and kind) when an owned object changes.</summary>
    public Controller Owns<TOwned>(SharedInformer<TOwned> informer, string ownerApiVersion, string ownerKind)
        where TOwned : class, IKubernetesObject
    {
        informer.Subscribe(change =>
        {
            foreach (var obj in new[] { change.Object, change.Old })
            {
                if (obj is not null && EventFilters.ControllerOwner(obj, ownerApiVersion, ownerKind) is { } owner)
                {
                    Queue.Add(owner);
                }
            }
        });
        return this;
    }

    /// <summary>Runs the workers until cancelled, then waits for reconciles in flight to finish.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarting(_logger, Name, _options.Workers);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None)).ToList();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }

        await Queue.ShutDownWithDrainAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        LogStopped(_logger, Name);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkItem<ObjectKey>? item;
            try
            {
                item = await Queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (item is not { Key: var key })
            {
                return;
            }

            try
            {
                await ProcessAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            _metrics.ObserveReconcile(Name, _time.GetElapsedTime(started));
            Queue.Forget(key);
            if (result.TerminalReason is { } reason)
            {
                _metrics.CountError(Name, "Terminal");
                LogTerminal(_logger, Name, key.ToString(), reason);
            }
            else if (result.Requeue is { } delay)
            {
                Queue.AddAfter(key, delay);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the next leader or start picks the key up again.
        }
        catch (Exception e)
        {
            _metrics.ObserveReconcile(Name, _time.GetElapsedTime(started));
            var reason = e is KubeApiException api ? api.Reason ?? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : e.GetType().Name;
            _metrics.CountError(Name, reason);
            LogFailed(_logger, Name, key.ToString(), reason, Queue.Requeues(key) + 1, e);
            Queue.AddRateLimited(key);
        }
    }

    public void Dispose() => Queue.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Controller} starting {Workers} workers")]
    private static partial void LogStarting(ILogger logger, string controller, int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Controller} stopped")]
    private static partial void LogStopped(ILogger logger, string controller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "controller {Controller}: reconcile of {Key} failed ({Reason}), retry {Attempt} with backoff")]
    private static partial void LogFailed(ILogger logger, string controller, string key, string reason, int attempt, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "controller {Controller}: {Key} cannot be reconciled and will not be retried: {Reason}")]
    private static partial void LogTerminal(ILogger logger, string controller, string key, string reason);
}
