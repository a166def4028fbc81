namespace RecOperator.ModelOptimizer.Profiling;

/// <summary>
/// One replica as a single server with a dynamic-batching queue: Poisson arrivals at a given rate; when the server is
/// free it takes the waiting requests (up to the max batch), waiting at most the max queue delay after the oldest
/// arrival for the batch to fill. Returns the p99 of arrival-to-completion latency. Pure and seeded.
/// </summary>
public static class QueueSimulator
{
    public static double P99LatencyMs(double qps, ServiceTimes times, double maxQueueDelayMs, int requests, int seed)
    {
        ArgumentNullException.ThrowIfNull(times);
        var random = new Random(seed);
        var arrivals = new double[requests];
        var t = 0.0;
        for (var i = 0; i < requests; i++)
        {
            t += -Math.Log(1 - random.NextDouble()) * 1000.0 / qps;
            arrivals[i] = t;
        }
        var latencies = new double[requests];
        var serverFree = 0.0;
        for (var next = 0; next < requests;)
        {
            var start = Math.Max(serverFree, arrivals[next]);
            // Wait for the batch to fill, but never longer than the oldest request's allowed queue delay.
            var deadline = Math.Max(start, arrivals[next] + maxQueueDelayMs);
            var last = next;
            while (last + 1 < requests && last + 1 - next < times.MaxBatch && arrivals[last + 1] <= deadline)
            {
                last++;
            }
            var batch = last - next + 1;
            // A full batch starts when its last request arrives; a partial one when the delay of the oldest runs out.
            var launch = batch == times.MaxBatch ? Math.Max(start, arrivals[last]) : deadline;
            var end = launch + times.Sample(batch, random);
            for (var i = next; i <= last; i++)
            {
                latencies[i] = end - arrivals[i];
            }
            serverFree = end;
            next = last + 1;
        }
        Array.Sort(latencies);
        return latencies[(int)Math.Ceiling(0.99 * requests) - 1];
    }

    /// <summary>The highest rate (bisection over [0, max batch / fastest batch time]) whose p99 stays under the target.</summary>
    public static (double Qps, double P99Ms) Capacity(ServiceTimes times, double p99TargetMs, double maxQueueDelayMs, int requests = 4000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(times);
        double low = 0, high = times.MaxBatch * 1000.0 / times.MeanBatchMs[^1] * 1.5;
        var p99AtLow = 0.0;
        for (var i = 0; i < 30; i++)
        {
            var mid = (low + high) / 2;
            var p99 = P99LatencyMs(mid, times, maxQueueDelayMs, requests, seed);
            if (p99 <= p99TargetMs)
            {
                (low, p99AtLow) = (mid, p99);
            }
            else
            {
                high = mid;
            }
        }
        return (low, p99AtLow);
    }
}
