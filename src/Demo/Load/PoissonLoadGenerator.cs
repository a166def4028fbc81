using System.Diagnostics;

namespace RecOperator.Demo.Load;

/// <summary>
/// Open-loop load with Poisson arrivals at the profile's current rate. Requests start on their schedule whatever the
/// answers do and latency counts from the scheduled time, so queueing shows in p99 (no coordinated omission). A cap
/// on requests in flight keeps a stalled server from exhausting the client; requests over it count as errors.
/// </summary>
public sealed class PoissonLoadGenerator(LoadProfile profile, Func<CancellationToken, Task<bool>> send, int maxInFlight = 512, int seed = 42)
{
    private readonly Random _random = new(seed);
    private int _inFlight;

    public OutcomeLog Outcomes { get; } = new();

    /// <summary>Runs the whole profile (or until cancelled), then waits for the requests still in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var origin = Stopwatch.GetTimestamp();
        var next = TimeSpan.Zero;
        var pending = new List<Task>();
        while (!cancellationToken.IsCancellationRequested && next < profile.Duration)
        {
            var (_, rps) = profile.At(next);
            if (rps <= 0)
            {
                next += TimeSpan.FromMilliseconds(100);
                continue;
            }
            // Exponential gaps at the current rate: a Poisson process whose rate follows the profile piecewise.
            next += TimeSpan.FromSeconds(-Math.Log(1 - _random.NextDouble()) / rps);
            if (next >= profile.Duration)
            {
                break;
            }
            var wait = next - Stopwatch.GetElapsedTime(origin);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            pending.Add(SendOneAsync(origin, next, cancellationToken));
            if (pending.Count > 4096)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task SendOneAsync(long origin, TimeSpan scheduledAt, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inFlight) > maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            Outcomes.Add(new RequestOutcome(scheduledAt, 0, false));
            return;
        }
        // Sub-millisecond waits are not slept, so a request may start just before its slot: count from whichever came first.
        var startedAt = Stopwatch.GetElapsedTime(origin);
        var from = startedAt > scheduledAt ? scheduledAt : startedAt;
        bool ok;
        try
        {
            ok = await send(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            ok = false;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        var latency = (Stopwatch.GetElapsedTime(origin) - from).TotalMilliseconds;
        Outcomes.Add(new RequestOutcome(scheduledAt, latency, ok));
    }
}
