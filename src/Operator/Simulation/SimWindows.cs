namespace RecOperator.Operator.Simulation;

/// <summary>Sliding windows of arrivals and per-variant measurements, as a metrics pipeline would keep them.</summary>
internal sealed class SimWindows(int windowSeconds, int syncSeconds, int variants)
{
    private readonly Queue<double> _arrivals = new();
    private readonly Queue<SimStep> _steps = new();

    public void Prefill(double qps)
    {
        for (var i = 0; i < windowSeconds; i++)
        {
            _arrivals.Enqueue(qps);
        }
    }

    public void Record(double arrivals, SimStep step)
    {
        _arrivals.Enqueue(arrivals);
        _steps.Enqueue(step);
        while (_arrivals.Count > windowSeconds)
        {
            _arrivals.Dequeue();
        }

        while (_steps.Count > syncSeconds)
        {
            _steps.Dequeue();
        }
    }

    public SimObservation Observe(double now, SimWorld world)
    {
        var p99 = new Dictionary<string, double>();
        var perReady = new Dictionary<string, double>();
        for (var v = 0; v < variants; v++)
        {
            var served = _steps.Where(s => s.Ready[v] > 0 && s.Load[v] > 0).ToList();
            if (served.Count > 0)
            {
                p99[world.VariantName(v)] = served.Average(s => s.P99[v]);
                perReady[world.VariantName(v)] = served.Average(s => s.Load[v] / s.Ready[v]);
            }
        }

        var recent = _arrivals.Reverse().Take(syncSeconds).DefaultIfEmpty(0).Average();
        return new SimObservation
        {
            TimeSeconds = now,
            WindowQps = _arrivals.DefaultIfEmpty(0).Average(),
            RecentQps = recent,
            VariantP99Ms = p99,
            VariantQpsPerReady = perReady,
            Actual = world.Counts(),
            PoolCapacity = world.PoolCapacity(),
        };
    }
}
