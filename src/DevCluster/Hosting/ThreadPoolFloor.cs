namespace RecOperator.DevCluster.Hosting;

/// <summary>
/// A DevCluster process hosts the API server, the node agent and the Service router, and the demo's also the operator and
/// the load generator. The thread pool starts with as many active workers as cores (two here) and adds one only when its starvation check
/// sees no progress, about every half second; one pool thread held by anything (a test host keeps one blocked reading
/// its own control socket) then stops every component at once. Measured in the direct demo under the test host on an
/// idle 2-core machine: 6 to 9 thread-pool stalls of 540 to 970 ms per run, each a client p99 window over the SLO, with
/// no GC pause and the dedicated watch thread on time. A higher floor lets the pool run more workers at once instead.
/// </summary>
public static class ThreadPoolFloor
{
    /// <summary>Raises the pool's minimum worker threads to <paramref name="workersPerCore"/> per core; never lowers it.</summary>
    public static void Raise(int workersPerCore)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Math.Max(workers, workersPerCore * Environment.ProcessorCount);
        if (wanted > workers)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }
}
