namespace RecOperator.DevCluster.NodeAgent;

/// <summary>
/// The kubelet's startup probe for one container instance: until it has succeeded the container is not started, and
/// its liveness and readiness probes do not run (so a slow start, such as a large model loading, is not killed by a
/// liveness probe meant for a running server); once it has succeeded it never runs again for that instance.
/// </summary>
public static class StartupGate
{
    /// <summary>
    /// True as soon as <paramref name="startup"/> succeeds (at once when there is none); false once it has failed its
    /// failureThreshold times, when the caller kills the container as for a failed liveness probe.
    /// </summary>
    public static async Task<bool> PassAsync(ProbeLoop? startup, CancellationToken ct)
    {
        if (startup is null)
        {
            return true;
        }
        var verdict = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using (ct.Register(() => verdict.TrySetCanceled(ct)).ConfigureAwait(false))
        {
            var loop = startup.RunAsync(ok =>
            {
                verdict.TrySetResult(ok);
                return Task.CompletedTask;
            }, probing.Token);
            var started = await verdict.Task.ConfigureAwait(false);
            // The first verdict decides: success or failure, the startup probe is over for this instance.
            await probing.CancelAsync().ConfigureAwait(false);
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
            return started;
        }
    }
}
