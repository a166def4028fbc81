using Microsoft.Extensions.Logging;
using RecOperator.Kube.Client;
using RecOperator.Kube.Models;

namespace RecOperator.Kube.Leadership;

/// <summary>
/// Leader election on a Lease, like client-go's leaderelection: candidates retry every RetryPeriod; the leader
/// renews every RetryPeriod and stops leading when it could not renew for RenewDeadline; on shutdown the
/// leader releases the Lease so another instance takes over at once instead of after LeaseDuration.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly ResourceClient<V1Lease> _leases;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private (string? Holder, DateTimeOffset? RenewTime) _observed;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;

    public LeaderElector(KubeApiClient client, LeaderElectionOptions options, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options.Validate();
        (_leases, _options, _logger) = (client.For<V1Lease>(), options, logger);
        _time = timeProvider ?? TimeProvider.System;
    }

    public bool IsLeader => _isLeader;

    /// <summary>Competes for the lease until cancelled; while leading, runs <paramref name="lead"/> with a token that is cancelled when leadership is lost.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                await PauseAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            _isLeader = true;
            LogLeading(_logger, _options.Identity, _options.LeaseName);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
            await RenewUntilLostAsync(work, cancellationToken).ConfigureAwait(false);
            _isLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            await ObserveAsync(work).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                await ReleaseAsync().ConfigureAwait(false);
                return;
            }

            LogLost(_logger, _options.Identity, _options.LeaseName);
        }
    }

    private async Task RenewUntilLostAsync(Task work, CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested && !work.IsCompleted)
        {
            await PauseAsync(cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                lastRenew = _time.GetUtcNow();
            }
            else if (_time.GetUtcNow() - lastRenew >= _options.RenewDeadline || (_observed.Holder is { } h && h != _options.Identity))
            {
                return;
            }
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var lease = await _leases.TryGetAsync(_options.LeaseName, _options.LeaseNamespace, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                await _leases.CreateAsync(new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                    Spec = LeaseDecision.Next(null, _options.Identity, now, _options.LeaseDuration),
                }, _options.LeaseNamespace, cancellationToken).ConfigureAwait(false);
                Observe(_options.Identity, now, now);
                return true;
            }

            Observe(lease.Spec?.HolderIdentity, lease.Spec?.RenewTime, now);
            if (!LeaseDecision.CanTake(lease.Spec, _options.Identity, _observedAt, now, _options.LeaseDuration))
            {
                return false;
            }

            var updated = await _leases.UpdateAsync(lease with { Spec = LeaseDecision.Next(lease.Spec, _options.Identity, now, _options.LeaseDuration) }, cancellationToken).ConfigureAwait(false);
            Observe(updated.Spec?.HolderIdentity, updated.Spec?.RenewTime, now);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // A conflict means another candidate wrote first; anything else is retried on the next period.
            LogAttemptFailed(_logger, _options.LeaseName, e.Message);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Observe(string? holder, DateTimeOffset? renewTime, DateTimeOffset now)
    {
        if (_observed != (holder, renewTime))
        {
            (_observed, _observedAt) = ((holder, renewTime), now);
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RenewDeadline);
            var lease = await _leases.TryGetAsync(_options.LeaseName, _options.LeaseNamespace, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec is { } spec && spec.HolderIdentity == _options.Identity)
            {
                await _leases.UpdateAsync(lease with { Spec = LeaseDecision.Released(spec, _time.GetUtcNow()) }, timeout.Token).ConfigureAwait(false);
                LogReleased(_logger, _options.Identity, _options.LeaseName);
            }
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // The lease then simply expires after LeaseDuration.
            LogAttemptFailed(_logger, _options.LeaseName, e.Message);
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ObserveAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The leading work stopped because leadership ended.
        }
#pragma warning disable CA1031 // The leader's work failing must not stop the election loop; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogWorkFailed(_logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is now leading on lease {Lease}")]
    private static partial void LogLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost lease {Lease}")]
    private static partial void LogLost(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Debug, Message = "lease {Lease}: attempt failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string lease, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "the leader's work failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception error);
}
