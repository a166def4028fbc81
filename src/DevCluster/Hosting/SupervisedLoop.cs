using Microsoft.Extensions.Logging;

namespace RecOperator.DevCluster.Hosting;

/// <summary>
/// Runs one of the control plane's background controllers (garbage collector, disruption controller) for the server's
/// whole life. A controller that throws is logged and started again after <see cref="RestartDelay"/>, as the
/// controller manager's loops are: before, the first unexpected exception ended the loop for good and silently, and
/// the cluster went on serving with no garbage collection or no budget status until it was restarted.
/// </summary>
public static partial class SupervisedLoop
{
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string name, Func<CancellationToken, Task> run, ILogger logger, TimeSpan restartDelay, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(logger);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await run(ct).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogCrashed(logger, e, name, restartDelay.TotalSeconds);
            }

            try
            {
                await Task.Delay(restartDelay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the {Controller} stopped on an error; starting it again in {Seconds} s")]
    private static partial void LogCrashed(ILogger logger, Exception error, string controller, double seconds);
}
