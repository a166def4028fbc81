using Microsoft.Extensions.Hosting;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// On shutdown (SIGTERM), readiness turns false first and stays so for the drain delay while the listeners still
/// serve, so Kubernetes takes the pod out of its Service before connections are refused; Kestrel then waits for
/// in-flight requests within the host's shutdown timeout (the grace period), and cuts off those still running then.
/// </summary>
internal sealed partial class DrainService(PodState state, TimeSpan drainDelay, TimeSpan grace, Microsoft.Extensions.Logging.ILogger<DrainService> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDrain();
        LogDraining(logger, drainDelay.TotalMilliseconds);
        try
        {
            await Task.Delay(drainDelay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The grace period is over: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs after the server stopped, with the host's shutdown token: cancelled means the grace period ran out and
    /// Kestrel aborted the connections of requests still in flight, which their clients see as reset connections.
    /// </summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            LogGraceOver(logger, grace.TotalSeconds);
        }
        return Task.CompletedTask;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 3, Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "draining: readiness is false; listeners stop in {DelayMs} ms, then in-flight requests finish")]
    private static partial void LogDraining(Microsoft.Extensions.Logging.ILogger logger, double delayMs);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 4, Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "shutdown grace period of {GraceSeconds} s is over: requests still in flight were cut off and the pod exits now")]
    private static partial void LogGraceOver(Microsoft.Extensions.Logging.ILogger logger, double graceSeconds);
}
