namespace RecOperator.Operator.Simulation;

/// <summary>A demand curve with pool events, the input of a simulation.</summary>
public sealed record Trace
{
    public required string Name { get; init; }

    /// <summary>Samples sorted by time, at least one.</summary>
    public required IReadOnlyList<TraceSample> Samples { get; init; }

    public IReadOnlyList<TraceEvent> Events { get; init; } = [];

    public double DurationSeconds => Samples[^1].TimeSeconds;

    /// <summary>Offered QPS at a time: linear between samples, flat outside them.</summary>
    public double QpsAt(double t)
    {
        if (t <= Samples[0].TimeSeconds)
        {
            return Samples[0].Qps;
        }

        var lo = 0;
        var hi = Samples.Count - 1;
        if (t >= Samples[hi].TimeSeconds)
        {
            return Samples[hi].Qps;
        }

        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (Samples[mid].TimeSeconds <= t)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var a = Samples[lo];
        var b = Samples[hi];
        return a.Qps + ((b.Qps - a.Qps) * (t - a.TimeSeconds) / (b.TimeSeconds - a.TimeSeconds));
    }
}
