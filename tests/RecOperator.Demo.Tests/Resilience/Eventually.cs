namespace RecOperator.Demo.Tests.Resilience;

/// <summary>Polls a condition of the cluster until it holds; a timeout names what was awaited and what was seen last.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> holds, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        T last = default!;
        try
        {
            while (true)
            {
                try
                {
                    last = await read(deadline.Token);
                    if (holds(last))
                    {
                        return last;
                    }
                }
                catch (HttpRequestException)
                {
                    // The API server is restarting or a pod is starting: ask again.
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:F0} s; last seen: {last}");
        }
    }
}
