using System.Collections.Concurrent;
using System.Diagnostics;

namespace RecOperator.Bench.Load;

/// <summary>
/// The project's load generator. Closed loop: N clients each send their next request when the last is answered
/// (throughput at a concurrency). Open loop: requests start on a fixed schedule whatever the answers do, and latency
/// counts from the scheduled start, so queueing shows up in p99 (no coordinated omission).
/// </summary>
public static class LoadGenerator
{
    /// <summary>
    /// One untimed second per pod and sender: JIT compilation (tiered, on background threads) would otherwise be
    /// charged to the first measured run, in wall-clock time and in CPU time alike.
    /// </summary>
    public static Task WarmUpAsync(Func<Task<bool>> send) => ClosedLoopAsync("warm-up", 4, TimeSpan.FromSeconds(1), 1, send);

    /// <param name="send">Sends one request; true when it was answered successfully.</param>
    public static async Task<LoadResult> ClosedLoopAsync(string name, int clients, TimeSpan duration, int rowsPerRequest, Func<Task<bool>> send)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var cpu = LoadResult.ProcessCpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (stopwatch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                if (await send().ConfigureAwait(false))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }))).ConfigureAwait(false);
        var elapsed = stopwatch.Elapsed;
        return new LoadResult(name, latencies.Count, failed, elapsed, [.. latencies], (long)latencies.Count * rowsPerRequest, LoadResult.ProcessCpuSeconds() - cpu);
    }

    /// <param name="poisson">When set, arrivals are a Poisson process (exponential gaps drawn from it) instead of evenly spaced.</param>
    public static async Task<LoadResult> OpenLoopAsync(string name, double requestsPerSecond, TimeSpan duration, int rowsPerRequest, Func<Task<bool>> send,
        Random? poisson = null)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / requestsPerSecond;
        var cpu = LoadResult.ProcessCpuSeconds();
        var origin = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(total);
        var offset = 0.0;
        for (var i = 0; i < total; i++)
        {
            offset = poisson is null ? i * interval : offset + (-Math.Log(1 - poisson.NextDouble()) * interval);
            var scheduled = origin + (long)offset;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
            inFlight.Add(Task.Run(async () =>
            {
                if (await send().ConfigureAwait(false))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return new LoadResult(name, latencies.Count, failed, Stopwatch.GetElapsedTime(origin), [.. latencies], (long)latencies.Count * rowsPerRequest,
            LoadResult.ProcessCpuSeconds() - cpu);
    }

    /// <summary>The highest open-loop rate among <paramref name="rates"/> whose p99 stays within the SLO with no failures.</summary>
    public static async Task<LoadResult?> MaxRateWithinSloAsync(string name, IEnumerable<double> rates, TimeSpan duration, double sloMs, int rows,
        Func<Task<bool>> send, Func<LoadResult, Task> report, Random? poisson = null)
    {
        LoadResult? best = null;
        foreach (var rate in rates)
        {
            var result = await OpenLoopAsync($"{name} @ {rate:F0}/s", rate, duration, rows, send, poisson).ConfigureAwait(false);
            await report(result).ConfigureAwait(false);
            if (result.Failed > 0 || result.P99 > sloMs)
            {
                break;
            }
            best = result;
        }
        return best;
    }
}
